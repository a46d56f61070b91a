import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ModelManifest } from '../../sdk/src/contract/index.js';
import { DAY_MS } from '../../sdk/src/features/index.js';
import { useWasm } from './backend.js';
import { type Calibrated, calibrate } from './calibrate.js';
import { type Ceiling, holdoutCeiling } from './ceiling.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { buildManifest, serialiseModel, writeModelDir } from './export.js';
import type { EpochHook } from './fit.js';
import { defaultSplit, withTargets } from './frame/index.js';
import {
  isoDay,
  parseCliDay,
  type Dataset,
  describeDrops,
  type Format,
  loadDataset,
  type Progress,
} from './load/index.js';
import { writeReport } from './report.js';
import { tierOf, valueTiers } from './score.js';
import { type NamedSegments, nameAndMatch } from './segment-names.js';
import { histograms } from './math/index.js';

/** The `train` pipeline: load → calibrate (frames, prior, segments, model) → evaluate → export, report, predictions. */
export interface TrainOptions {
  data: string;
  format: Format;
  out: string;
  /** YYYY-MM-DD; defaults per format (DEFAULT_SPLITS). */
  cutoff?: string;
  holdoutEnd?: string;
  epochs: number;
  seed: number;
  version?: string;
  predictions?: string;
  /** A previous model directory whose segments the new ones are matched to. */
  previous?: string;
  maxCustomers?: number;
  /** Also refit the model on the holdout itself, out of fold (ceiling.ts): what these features could reach. */
  ceiling?: boolean;
}

export interface TrainHooks {
  log: (line: string) => void;
  onLoad?: Progress;
  onEpoch?: EpochHook;
}

export const TRAIN_DEFAULTS = { epochs: 150, seed: 42 } as const;

async function stage<T>(
  log: (line: string) => void,
  name: string,
  run: () => T | Promise<T>,
  say: (r: T) => string,
): Promise<T> {
  const start = performance.now();
  const result = await run();
  log(`[${name}] ${say(result)} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

async function writePredictions(
  path: string,
  customers: readonly string[],
  ev: Evaluation,
  names: NamedSegments,
  tiers: ModelManifest['valueTiers'],
): Promise<void> {
  const s = ev.scores;
  const rows = customers.map((c, i) =>
    [
      /[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c,
      names.segments[s.segment[i]!]!.name,
      s.purchases[i]!.toFixed(4),
      s.spend[i]!.toFixed(2),
      s.churn[i]!.toFixed(4),
      tierOf(tiers, s.value[i]!),
    ].join(','),
  );
  await writeFile(
    path,
    `customer_id,segment,predicted_purchases,predicted_spend,churn_probability,value_tier\n${rows.join('\n')}\n`,
  );
}

/**
 * Trains, evaluates and writes model.json, weights.bin, manifest.json, segments.json and the report into `opts.out`.
 * @example const { manifest } = await train({ data: 'CDNOW_master.txt', format: 'cdnow', out: 'models/default', ...TRAIN_DEFAULTS }, { log: console.log });
 */
export async function train(
  opts: TrainOptions,
  hooks: TrainHooks,
): Promise<{ manifest: ModelManifest; evaluation: Evaluation; data: Dataset; ceiling: Ceiling | null }> {
  const { log } = hooks;
  // The manifest records backend 'wasm': training must really run there (the default in Node is the slower cpu one).
  await useWasm();
  const data = await stage(log, 'load', () => loadDataset(opts.data, opts.format, hooks.onLoad), describeDrops);
  if (data.histories.size === 0) throw new Error(`${opts.data}: no usable transactions`);
  const split = {
    ...defaultSplit(opts.format, data),
    ...(opts.cutoff ? { cutoff: opts.cutoff } : {}),
    ...(opts.holdoutEnd ? { holdoutEnd: opts.holdoutEnd } : {}),
  };
  const cutoff = parseCliDay('cutoff', split.cutoff);
  const holdoutEnd = parseCliDay('holdout-end', split.holdoutEnd);
  if (cutoff <= data.firstDay || cutoff >= holdoutEnd)
    throw new Error(
      `need first day ${isoDay(data.firstDay)} < --cutoff ${split.cutoff} < --holdout-end ${split.holdoutEnd}`,
    );
  if (holdoutEnd > data.lastDay)
    throw new Error(
      `--holdout-end ${split.holdoutEnd} is after the data ends (${isoDay(data.lastDay)}): the holdout would be incomplete`,
    );
  const horizonDays = Math.round((holdoutEnd - cutoff) / DAY_MS);

  const cal: Calibrated = await stage(
    log,
    'calibrate',
    () =>
      calibrate(
        data.histories,
        {
          start: data.firstDay,
          cutoff,
          horizonDays,
          seed: opts.seed,
          epochs: opts.epochs,
          maxCustomers: opts.maxCustomers,
        },
        { log, onEpoch: hooks.onEpoch },
      ),
    (c) =>
      `${c.trainingRows} training rows from ${c.cutoffs.length} internal cutoffs; k=${c.segmentation.k}; ` +
      `${c.fit.epochsRun} epochs (best ${c.fit.bestEpoch}, val loss ${c.fit.bestValLoss.toFixed(4)})`,
  );
  const names = await nameAndMatch(cal, opts.previous);
  for (const s of names.segments) log(`  ${s.id} ${s.name}: ${s.description}`);

  const holdout = withTargets(cal.atCutoff, data.histories, holdoutEnd);
  const evaluation = await stage(
    log,
    'evaluate',
    () => evaluate(cal, holdout, data.firstDay),
    (e) => e.targets.map((t) => `\n  ${t.met ? 'met ' : 'MISS'} ${t.name}: ${t.detail}`).join(''),
  );
  const ceiling = opts.ceiling
    ? await stage(
        log,
        'ceiling',
        () =>
          holdoutCeiling(cal, holdout, evaluation.metrics.bgnbd_purchases_rmse!, {
            seed: opts.seed,
            epochs: opts.epochs,
            onEpoch: hooks.onEpoch,
          }),
        (c) =>
          `trained on the holdout itself (${c.folds} folds, out of fold): RMSE ${c.rmseRatio.toFixed(3)} × BG/NBD's, total ${(c.totalError * 100).toFixed(1)} %`,
      )
    : null;
  const tiers = valueTiers(evaluation.scores.value);
  const metrics = { ...evaluation.metrics, ...(names.ari === null ? {} : { segment_ari_vs_previous: names.ari }) };

  const manifest = await stage(
    log,
    'export',
    async () => {
      const artifacts = await serialiseModel(cal.model);
      const { duplicates, mean, std, min, max } = cal.norm;
      const normalisation = { mean: [...mean], std: [...std], min: [...min], max: [...max] };
      const m = buildManifest(artifacts, {
        version: opts.version,
        dataset: opts.format,
        createdAt: cutoff,
        normalisation,
        horizonDays,
        segments: names.segments,
        valueTiers: tiers,
        metrics,
        prior: cal.prior,
        histograms: histograms(cal.atCutoff.x),
        training: {
          dataset: basename(opts.data),
          format: opts.format,
          cutoff: split.cutoff,
          holdoutEnd: split.holdoutEnd,
          horizonDays,
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
      });
      await writeModelDir(opts.out, artifacts, m);
      await writeFile(join(opts.out, 'segments.json'), `${JSON.stringify(names.stored, null, 2)}\n`);
      return m;
    },
    (m) => `${opts.out}: version ${m.version}, weights ${m.weights.bytes} bytes`,
  );
  await writeReport(opts.out, evaluation, {
    dataset: basename(opts.data),
    format: opts.format,
    cutoff: split.cutoff,
    holdoutEnd: split.holdoutEnd,
    segments: names.segments,
    loadSummary: describeDrops(data),
    levelBacktest: cal.levelBacktest,
    shrinkage: cal.shrinkage,
    ceiling,
    extra: {
      drops: data.drops.counts,
      prior: cal.prior,
      internalPriors: cal.internalPriors,
      windowLevels: cal.fit.windowLevels,
      valueShift: cal.valueShift,
      segmentAriVsPrevious: names.ari,
    },
  });
  if (opts.predictions) await writePredictions(opts.predictions, cal.atCutoff.customers, evaluation, names, tiers);
  cal.model.dispose();
  return { manifest, evaluation, data, ceiling };
}
