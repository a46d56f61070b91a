/**
 * The manifest's input from one training run: the normalisation, prior, segments, tiers and metrics that serve,
 * the training distribution the edge's drift check compares syncs against, and the summary of how it was trained.
 */
import { basename } from 'node:path';
import { FEATURE_NAMES, type FeatureName, type ModelManifest } from '../../../sdk/src/contract/index.js';
import type { Normalisation } from '../../../sdk/src/features/index.js';
import type { Split } from '../frame/index.js';
import { type Dataset, isoDay } from '../load/index.js';
import { histograms } from '../math/index.js';
import type { Prior } from '../model/index.js';
import type { IntentInput, ManifestInput } from './export.js';

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
  /** The intent tower and the visits it learned from (absent: no tower). */
  intent?: {
    manifest: IntentInput;
    sessions: { source: string; names: readonly FeatureName[]; x: readonly number[][] };
    file: string;
  };
}

/**
 * Drift histograms for every spec feature: the customer frames' for the lifetime ones, the training visits' for
 * the visit features the sessions carry, and a single bin at 0 for the rest, which nothing here was trained on
 * (the drift page then says so).
 * @example specHistograms(cal.atCutoff.x, sessions).length // FEATURE_NAMES.length
 */
export function specHistograms(
  lifetime: readonly number[][],
  sessions: { names: readonly FeatureName[]; x: readonly number[][] } | null,
): { edges: number[]; counts: number[] }[] {
  const visits = FEATURE_NAMES.slice(lifetime[0]?.length ?? 0);
  const cols = visits.map((n) => sessions?.names.indexOf(n) ?? -1);
  const rows = sessions?.x ?? [[]];
  return [...histograms(lifetime), ...histograms(rows.map((r) => cols.map((j) => (j >= 0 ? r[j]! : 0))))];
}

/**
 * createdAt is the cutoff, not the clock, so a retrain that changes nothing writes the same manifest.
 * @example buildManifest(artifacts, manifestInput(run)).training.k // 3
 */
export function manifestInput({
  opts,
  split,
  data,
  cal,
  segments,
  valueTiers,
  metrics,
  intent,
}: TrainingRun): ManifestInput {
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
    histograms: specHistograms(cal.atCutoff.x as number[][], intent?.sessions ?? null),
    ...(intent ? { intent: intent.manifest } : {}),
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
      ...(intent ? { intentSessions: basename(intent.file), intentSource: intent.sessions.source } : {}),
    },
  };
}
