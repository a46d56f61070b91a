/**
 * The `train` pipeline, stage by stage: load → calibrate (frame, prior, internal windows, segments, model; all
 * inside the calibration period) → evaluate on the holdout (and --ceiling) → publish (model directory,
 * report, predictions). Each stage lives in its own folder; this file only runs them in order.
 */
import { basename } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelManifest } from '../../sdk/src/contract/index.js';
import { type Normalisation, normalise } from '../../sdk/src/features/index.js';
import { type Ceiling, type Evaluation, evaluate, holdoutCeiling, writeReport } from './evaluate/index.js';
import {
  type Frame,
  buildFrame,
  internalCutoffs,
  resolveSplit,
  subsample,
  truncate,
  withTargets,
} from './frame/index.js';
import { type Dataset, type Format, type Histories, type Progress, describeDrops, loadDataset } from './load/index.js';
import {
  type EpochHook,
  type FitResult,
  type LevelBacktest,
  type Prior,
  type Shrinkage,
  fitPrior,
  fitServed,
  inputNormalisation,
  internalWindows,
  logPriorFor,
  useWasm,
  valueTiers,
} from './model/index.js';
import { exportModel, manifestInput, writePredictions } from './publish/index.js';
import { type Segmentation, nameAndMatch, segmentCustomers } from './segments/index.js';

export interface TrainOptions {
  data: string;
  format: Format;
  out: string;
  /** YYYY-MM-DD; defaults per format (frame/split.ts). */
  cutoff?: string;
  holdoutEnd?: string;
  epochs: number;
  seed: number;
  version?: string;
  predictions?: string;
  /** A previous model directory whose segments the new ones are matched to. */
  previous?: string;
  maxCustomers?: number;
  /** Also refit the model on the holdout itself, out of fold (evaluate/ceiling.ts): what these features could reach. */
  ceiling?: boolean;
}

export interface TrainHooks {
  log: (line: string) => void;
  onLoad?: Progress;
  onEpoch?: EpochHook;
}

export const TRAIN_DEFAULTS = { epochs: 150, seed: 42 } as const;

export interface CalibrateOptions {
  start: number;
  cutoff: number;
  horizonDays: number;
  seed: number;
  epochs: number;
  /** Customers per internal frame above which a seeded subsample is used (bounded time and memory). */
  maxCustomers?: number;
}

export interface Calibrated {
  model: tf.LayersModel;
  norm: Normalisation & { duplicates: number[] };
  prior: Prior;
  segmentation: Segmentation;
  /** The frame at the cutoff (features only; its targets are empty by construction). */
  atCutoff: Frame;
  fit: FitResult;
  trainingRows: number;
  cutoffs: number[];
  /** Internal-frame BG/NBD fits, for the report. */
  internalPriors: Prior[];
  /** The longest internal frame, which the RFM-rules baseline learns its group rates on. */
  rfmFrame: Frame;
  /** The log-shift anchorToPrior added to the value head's bias. */
  valueShift: number;
  /** BG/NBD's out-of-sample total on each internal window: how far the served level can be trusted. */
  levelBacktest: LevelBacktest[];
  /** The cross-fitted factor the served correction was scaled by (model/shrink.ts). */
  shrinkage: Shrinkage;
}

/** Runs one top-level stage and logs `[name] summary (time)`: bench/trainer-throughput.ts reads these lines. */
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

/** Logs each sub-stage of calibrate with its time: what grows with customers (framing, labelling, scoring) against what does not. */
function lapTimer(log: (line: string) => void): (what: string) => void {
  let lapStart = performance.now();
  return (what) => {
    const now = performance.now();
    log(`  ${what} (${((now - lapStart) / 1000).toFixed(1)} s)`);
    lapStart = now;
  };
}

/**
 * Everything learned inside the calibration period. It truncates the histories at the cutoff before anything
 * else (frame/ `truncate`), so no holdout transaction can reach the model; train.test.ts proves it.
 * @example const cal = await calibrate(data.histories, { start, cutoff, horizonDays: 273, seed: 42, epochs: 150 }, { log });
 */
export async function calibrate(
  histories: Histories,
  opts: CalibrateOptions,
  hooks: { log: (line: string) => void; onEpoch?: EpochHook },
): Promise<Calibrated> {
  const { start, cutoff, horizonDays, seed, epochs, maxCustomers = 25_000 } = opts;
  const lap = lapTimer(hooks.log);
  // The first thing done: nothing after the cutoff survives into anything below.
  const known = truncate(histories, cutoff);
  const cutoffs = internalCutoffs(start, cutoff);
  if (cutoffs.length === 0)
    throw new Error('the calibration period is too short for internal cutoffs (need more than a week before --cutoff)');
  const atCutoff = buildFrame(known, cutoff, cutoff);
  const prior = fitPrior(atCutoff);
  lap(`features and BG/NBD + Gamma-Gamma prior of ${atCutoff.x.length} customers at the cutoff`);
  const pick = subsample(known.ids, maxCustomers, seed);
  const windows = internalWindows(known, prior, { cutoffs, cutoff, horizonDays, seed, pick }, hooks.log);
  lap('internal frames');

  const norm = inputNormalisation(windows.rows.x, atCutoff.x);
  const x = windows.rows.x.map((r) => normalise(r, norm));
  const { segmentation, trainingLabels } = segmentCustomers(
    {
      length: atCutoff.x.length,
      xNorm: (i) => normalise(atCutoff.x[i]!, norm),
      logPrior: logPriorFor(atCutoff.x, prior, horizonDays),
    },
    { xNorm: x, logPrior: logPriorFor(windows.rows.x, prior, horizonDays) },
    { seed },
  );
  lap(`segments: k=${segmentation.k} by silhouette, every customer labelled`);

  const rows = { ...windows.rows, x, segment: trainingLabels };
  const served = await fitServed(
    rows,
    windows.half,
    { k: segmentation.k, seed, epochs, longest: windows.longest },
    { x: atCutoff.x, norm, prior, horizonDays },
    { log: hooks.log, lap, onEpoch: hooks.onEpoch },
  );
  return {
    model: served.model,
    norm,
    prior,
    segmentation,
    atCutoff,
    fit: served.fit,
    trainingRows: rows.x.length,
    cutoffs,
    internalPriors: windows.internalPriors,
    rfmFrame: windows.rfmFrame,
    valueShift: served.valueShift,
    levelBacktest: windows.levelBacktest,
    shrinkage: served.shrinkage,
  };
}

/**
 * Trains, evaluates and writes model.json, weights.bin, manifest.json, segments.json and the report into `opts.out`.
 * @example const { manifest } = await train({ data: 'CDNOW_master.txt', format: 'cdnow', out: 'models/default', ...TRAIN_DEFAULTS }, { log: console.log });
 */
export async function train(
  opts: TrainOptions,
  hooks: TrainHooks,
): Promise<{ manifest: ModelManifest; evaluation: Evaluation; data: Dataset; ceiling: Ceiling | null }> {
  const { log, onEpoch } = hooks;
  // The manifest records backend 'wasm': training must really run there (the default in Node is the slower cpu one).
  await useWasm();
  const data = await stage(log, 'load', () => loadDataset(opts.data, opts.format, hooks.onLoad), describeDrops);
  if (data.histories.size === 0) throw new Error(`${opts.data}: no usable transactions`);
  const split = resolveSplit(opts.format, data, opts);
  const { seed, epochs, maxCustomers } = opts;
  const cal = await stage(
    log,
    'calibrate',
    () =>
      calibrate(
        data.histories,
        { start: data.firstDay, cutoff: split.at, horizonDays: split.horizonDays, seed, epochs, maxCustomers },
        { log, onEpoch },
      ),
    (c) =>
      `${c.trainingRows} training rows from ${c.cutoffs.length} internal cutoffs; k=${c.segmentation.k}; ` +
      `${c.fit.epochsRun} epochs (best ${c.fit.bestEpoch}, val loss ${c.fit.bestValLoss.toFixed(4)})`,
  );
  const names = await nameAndMatch(cal, opts.previous);
  for (const s of names.segments) log(`  ${s.id} ${s.name}: ${s.description}`);

  const holdout = withTargets(cal.atCutoff, data.histories, split.end);
  const evaluation = await stage(
    log,
    'evaluate',
    () => evaluate(cal, holdout, data.firstDay),
    (e) => e.targets.map((t) => `\n  ${t.met ? 'met ' : 'MISS'} ${t.name}: ${t.detail}`).join(''),
  );
  const bgnbdRmse = evaluation.metrics.bgnbd_purchases_rmse!;
  const ceiling = opts.ceiling
    ? await stage(
        log,
        'ceiling',
        () => holdoutCeiling(cal, holdout, bgnbdRmse, { seed, epochs, onEpoch }),
        (c) =>
          `trained on the holdout itself (${c.folds} folds, out of fold): RMSE ${c.rmseRatio.toFixed(3)} × BG/NBD's, total ${(c.totalError * 100).toFixed(1)} %`,
      )
    : null;
  const tiers = valueTiers(evaluation.scores.value);
  const metrics = { ...evaluation.metrics, ...(names.ari === null ? {} : { segment_ari_vs_previous: names.ari }) };
  const run = { opts, split, data, cal, segments: names.segments, valueTiers: tiers, metrics };
  const manifest = await stage(
    log,
    'export',
    () => exportModel(opts.out, cal.model, manifestInput(run), names.stored),
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
  if (opts.predictions)
    await writePredictions(opts.predictions, cal.atCutoff.customers, evaluation.scores, names.segments, tiers);
  cal.model.dispose();
  return { manifest, evaluation, data, ceiling };
}
