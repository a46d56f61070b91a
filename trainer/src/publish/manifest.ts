/**
 * The manifest's input from one training run: the normalisation, prior, segments, tiers and metrics that serve,
 * the training distribution the edge's drift check compares syncs against, and the summary of how it was trained.
 */
import { basename } from 'node:path';
import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import type { Normalisation } from '../../../sdk/src/features/index.js';
import type { Split } from '../frame/index.js';
import { type Dataset, isoDay } from '../load/index.js';
import { histograms } from '../math/index.js';
import type { Prior } from '../model/index.js';
import type { ManifestInput } from './export.js';

/** What a training run hands the publish stage. */
export interface TrainingRun {
  opts: { data: string; format: string; version?: string; epochs: number; seed: number };
  split: Split;
  data: Pick<Dataset, 'rows' | 'kept' | 'drops'>;
  cal: {
    norm: Normalisation & { duplicates: number[] };
    prior: Prior;
    atCutoff: { x: readonly number[][] };
    cutoffs: readonly number[];
    trainingRows: number;
    fit: { epochsRun: number; bestEpoch: number };
    segmentation: { k: number };
    shrinkage: { factor: number };
  };
  segments: ModelManifest['segments'];
  valueTiers: ModelManifest['valueTiers'];
  metrics: ModelManifest['metrics'];
}

/**
 * createdAt is the cutoff, not the clock, so a retrain that changes nothing writes the same manifest.
 * @example buildManifest(artifacts, manifestInput(run)).training.k // 3
 */
export function manifestInput({ opts, split, data, cal, segments, valueTiers, metrics }: TrainingRun): ManifestInput {
  const { duplicates, mean, std, min, max } = cal.norm;
  return {
    version: opts.version,
    dataset: opts.format,
    createdAt: split.at,
    normalisation: { mean: [...mean], std: [...std], min: [...min], max: [...max] },
    horizonDays: split.horizonDays,
    segments,
    valueTiers,
    metrics,
    prior: cal.prior,
    histograms: histograms(cal.atCutoff.x),
    training: {
      dataset: basename(opts.data),
      format: opts.format,
      cutoff: split.cutoff,
      holdoutEnd: split.holdoutEnd,
      horizonDays: split.horizonDays,
      internalCutoffs: cal.cutoffs.map(isoDay).join(' '),
      customers: cal.atCutoff.x.length,
      trainingRows: cal.trainingRows,
      rows: data.rows,
      rowsKept: data.kept,
      rowsDropped: data.rows - data.kept,
      malformedRows: data.drops.malformed,
      unusedFeatures: duplicates.length,
      epochs: cal.fit.epochsRun,
      bestEpoch: cal.fit.bestEpoch,
      maxEpochs: opts.epochs,
      seed: opts.seed,
      k: cal.segmentation.k,
      correctionScale: cal.shrinkage.factor,
      backend: 'wasm',
    },
  };
}
