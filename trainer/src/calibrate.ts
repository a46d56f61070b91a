import * as tf from '@tensorflow/tfjs';
import { FEATURE_NAMES, fnv1a } from '../../sdk/src/contract/index.js';
import { DAY_MS, type Normalisation, normalise } from '../../sdk/src/features/index.js';
import { type EpochHook, type FitResult, type TrainingSet, fitModel, labelled } from './fit.js';
import { type Frame, buildFrame, internalCutoffs, subsample, truncate } from './frame/index.js';
import { isoDay, type Histories } from './load/index.js';
import { logPrior } from './losses.js';
import { sum, columnStats, withoutDuplicates } from './math/index.js';
import { createModel } from './model.js';
import { type Prior, fitPrior, priorFor } from './prior.js';
import { score } from './score.js';
import { type Segmentation, chooseK, nearest } from './segments.js';
import { type Shrinkage, crossFitShrinkage } from './shrink.js';

/**
 * Everything learned inside the calibration period. It truncates the histories at the cutoff before anything
 * else (frame.ts `truncate`), so no holdout transaction can reach the model; calibrate.test.ts proves it.
 */
export interface CalibrateOptions {
  start: number;
  cutoff: number;
  horizonDays: number;
  seed: number;
  epochs: number;
  /** Customers per internal frame above which a seeded subsample is used (bounded time and memory). */
  maxCustomers?: number;
  ks?: number[];
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
  /** The cross-fitted factor the served correction was scaled by (shrink.ts). */
  shrinkage: Shrinkage;
}

/**
 * BG/NBD fitted at an internal cutoff, forecasting the total purchase-days of its window (up to --cutoff).
 * The served model keeps BG/NBD's total (anchorToPrior), so these errors are the calibration period's own
 * evidence on that level; a holdout error far outside them means its level moved in a way no data before
 * the cutoff could show. On CDNOW BG/NBD misses its four internal windows by −10.5 % to +13.9 %, its holdout
 * (which spans Christmas) by −14.3 %: the level is where the calibration period gives the least to learn from.
 */
export interface LevelBacktest {
  cutoff: string;
  days: number;
  forecast: number;
  actual: number;
  /** forecast / actual − 1. */
  error: number;
}

/** How strongly the prior's log expected purchases weighs in clustering, in standard deviations. */
export const PRIOR_WEIGHT = 2;

/** Standardised features plus the weighted, standardised log prior: the space segments are found in. */
export function segmentSpace(
  xNorm: readonly number[][],
  logPriors: readonly number[],
  stats: { mean: number; std: number },
): number[][] {
  return xNorm.map((r, i) => segmentRow(r, logPriors[i]!, stats));
}

/** One row of segmentSpace, for callers that stream a million customers instead of holding the matrix. */
export const segmentRow = (
  xNorm: readonly number[],
  logPrior: number,
  stats: { mean: number; std: number },
): number[] => [...xNorm, (PRIOR_WEIGHT * (logPrior - stats.mean)) / Math.max(1e-9, stats.std)];

/**
 * Shifts the value head's bias so the corrected forecast at the cutoff sums to the prior's: the correction
 * moves expected purchases between customers, and the total over the served horizon stays the structural
 * prior's. Levels learned on the internal windows do not carry over — on CDNOW every in-calibration window
 * falls short of BG/NBD (the new cohort's buying decays), while later, longer horizons need no such shrink —
 * and a window's level cannot be read from any feature. Uses features at the cutoff only (no targets).
 * @example anchorToPrior(model, atCutoff.x, norm, prior, 273) // −0.05: the log-shift added to value/bias
 */
export function anchorToPrior(
  model: tf.LayersModel,
  raw: readonly number[][],
  norm: Normalisation,
  prior: Prior,
  horizonDays: number,
): number {
  const expected = priorFor(raw, prior, horizonDays).purchases.reduce((s, e) => s + e, 0);
  const corrected = score(model, raw, norm, prior, horizonDays).purchases.reduce((s, e) => s + e, 0);
  if (!(expected > 0 && corrected > 0)) return 0;
  const shift = Math.log(expected / corrected);
  updateValueHead(model, (kernel, bias) => [kernel.clone(), bias.add(shift)]);
  return shift;
}

/**
 * Serves the value head at log-horizon `at`: value = f + g · at becomes one linear layer (kernel_f + at ·
 * kernel_g, bias_f + at · bias_g), so the browser's forward pass stays the same. calibrate folds at the
 * longest internal window rather than extrapolating g out to the served horizon, which no window reaches.
 * RMSE vs BG/NBD (CDNOW / Online Retail): no horizon unit 0.983 / 0.915, folded at the longest window
 * 0.980 / 0.887, extrapolated to the served horizon 0.984 / 0.879.
 * @example foldHorizonSlope(model, fit.horizonSlope, Math.log(136 / 273)) // −0.697
 */
export function foldHorizonSlope(model: tf.LayersModel, slope: FitResult['horizonSlope'], at: number): number {
  if (!slope || at === 0) return at;
  updateValueHead(model, (kernel, bias) => [
    kernel.add(tf.tensor2d(slope.kernel, kernel.shape as [number, number]).mul(at)),
    bias.add(slope.bias * at),
  ]);
  return at;
}

/** Multiplies the value head (the served correction of log expected purchases) by `factor`: 0 serves the prior. */
export function scaleValueHead(model: tf.LayersModel, factor: number): void {
  if (factor !== 1) updateValueHead(model, (kernel, bias) => [kernel.mul(factor), bias.mul(factor)]);
}

/** Replaces the value head's kernel and bias with what `update` makes of them: every served change to it goes through here. */
function updateValueHead(
  model: tf.LayersModel,
  update: (kernel: tf.Tensor, bias: tf.Tensor) => [tf.Tensor, tf.Tensor],
): void {
  const head = model.getLayer('value');
  const [kernel, bias] = head.getWeights() as [tf.Tensor, tf.Tensor];
  const next = tf.tidy(() => update(kernel, bias));
  head.setWeights(next);
  tf.dispose(next);
}

/**
 * @example const cal = await calibrate(truncate(histories, cutoff), { start, cutoff, horizonDays: 273, seed: 42, epochs: 150 });
 */
export async function calibrate(
  histories: Histories,
  opts: CalibrateOptions,
  hooks: { log: (line: string) => void; onEpoch?: EpochHook },
): Promise<Calibrated> {
  const { start, cutoff, horizonDays, seed, epochs, maxCustomers = 25_000, ks = [3, 4, 5, 6, 7, 8] } = opts;
  // Sub-stage times in the log: what grows with customers (framing, labelling, scoring) against what does not.
  let lapStart = performance.now();
  const lap = (what: string) => {
    const now = performance.now();
    hooks.log(`  ${what} (${((now - lapStart) / 1000).toFixed(1)} s)`);
    lapStart = now;
  };
  // The first thing done: nothing after the cutoff survives into anything below.
  const known = truncate(histories, cutoff);
  const pick = subsample(known.ids, maxCustomers, seed);
  const cutoffs = internalCutoffs(start, cutoff);
  if (cutoffs.length === 0)
    throw new Error('the calibration period is too short for internal cutoffs (need more than a week before --cutoff)');
  const rows: TrainingSet = { x: [], segment: [], purchases: [], churn: [], offset: [], window: [], logHorizon: [] };
  // Each customer's half for cross-fitting the correction's strength (shrink.ts), by id so it is the same in every window.
  const half: (0 | 1)[] = [];
  let longest = -Infinity;
  const internalPriors: Prior[] = [];
  const levelBacktest: LevelBacktest[] = [];
  let rfmFrame: Frame | null = null;
  const atCutoff = buildFrame(known, cutoff, cutoff);
  // Internal windows use the shipped prior (fitted on the whole calibration period), so the correction learns
  // the bias of the parameters that will serve; per-window refits were tried and did worse on CDNOW.
  const prior = fitPrior(atCutoff);
  lap(`features and BG/NBD + Gamma-Gamma prior of ${atCutoff.x.length} customers at the cutoff`);
  for (const [w, c] of cutoffs.entries()) {
    const frame = buildFrame(known, c, cutoff, pick);
    rfmFrame ??= frame;
    const own = fitPrior(frame);
    internalPriors.push(own);
    const days = (cutoff - c) / DAY_MS;
    const p = priorFor(frame.x, prior, days);
    const forecast = sum(priorFor(frame.x, own, days).purchases);
    const actual = sum(frame.purchases);
    levelBacktest.push({ cutoff: isoDay(c), days, forecast, actual, error: actual > 0 ? forecast / actual - 1 : NaN });
    const logHorizon = Math.log(days) - Math.log(horizonDays);
    longest = Math.max(longest, logHorizon);
    frame.x.forEach((x, i) => {
      rows.x.push(x);
      rows.purchases.push(frame.purchases[i]!);
      rows.churn.push(frame.purchases[i]! > 0 ? 0 : 1);
      rows.offset.push(logPrior(p.purchases[i]!));
      rows.window!.push(w);
      rows.logHorizon!.push(logHorizon);
      half.push((Number.parseInt(fnv1a(`${seed}:half:${frame.customers[i]}`), 16) & 1) as 0 | 1);
    });
    hooks.log(
      `  internal cutoff ${isoDay(c)}: ${frame.x.length} customers, ` +
        `${(days / 7).toFixed(1)}-week window, BG/NBD r=${own.bgnbd.r.toFixed(3)} α=${own.bgnbd.alpha.toFixed(2)} a=${own.bgnbd.a.toFixed(3)} b=${own.bgnbd.b.toFixed(2)}, ` +
        `its total ${forecast.toFixed(0)} vs ${actual} actual`,
    );
  }

  lap('internal frames');
  const { duplicates, ...stats } = withoutDuplicates(columnStats([...rows.x, ...atCutoff.x]), atCutoff.x);
  const norm = { ...stats, duplicates };
  const std = (x: number[][]) => x.map((r) => normalise(r, norm));
  const logP = (x: number[][]) => priorFor(x, prior, horizonDays).purchases.map(logPrior);
  const cutLog = logP(atCutoff.x);
  const logStats = columnStats(cutLog.map((v) => [v]));
  const pStats = { mean: logStats.mean[0]!, std: logStats.std[0]! };
  // Streamed row by row: k-means fits a seeded sample, and only labelling touches every customer.
  const cutRow = (i: number) => segmentRow(normalise(atCutoff.x[i]!, norm), cutLog[i]!, pStats);
  const segmentation = chooseK({ length: atCutoff.x.length, get: cutRow }, { seed, ks, fitSample: 20_000 });
  const trainSpace = segmentSpace(std(rows.x), logP(rows.x), pStats);
  rows.segment = trainSpace.map((r) => nearest(r, segmentation.centroids).index);
  rows.x = std(rows.x);
  lap(`segments: k=${segmentation.k} by silhouette, every customer labelled`);

  const model = createModel(FEATURE_NAMES.length, segmentation.k, seed);
  const fit = await fitModel(model, rows, {
    nSegments: segmentation.k,
    seed,
    epochs,
    onEpoch: labelled(hooks.onEpoch, 'train'),
  });
  lap('model fitted');
  const foldedAt = foldHorizonSlope(model, fit.horizonSlope, Math.min(0, longest));
  const shrinkage = await crossFitShrinkage(rows, half, { nSegments: segmentation.k, seed, epochs }, hooks.onEpoch);
  scaleValueHead(model, shrinkage.factor);
  lap(
    `correction strength cross-fitted on halves of the customers: ${shrinkage.factor} (out-of-fold deviance ${shrinkage.deviance.map((d) => d.toFixed(4)).join(' ')})`,
  );
  const shift = anchorToPrior(model, atCutoff.x, norm, prior, horizonDays);
  lap('value head anchored to the prior total');
  hooks.log(
    `  window levels (log, learned, not served): ${fit.windowLevels.map((l) => l.toFixed(3)).join(' ')}; ` +
      `horizon unit folded in at the longest window (log-horizon ${foldedAt.toFixed(3)} vs the served one); ` +
      `value bias shifted by ${shift.toFixed(3)} to keep the prior's total at the cutoff`,
  );
  return {
    model,
    norm,
    prior,
    segmentation,
    atCutoff,
    fit,
    trainingRows: rows.x.length,
    cutoffs,
    internalPriors,
    rfmFrame: rfmFrame!,
    valueShift: shift,
    levelBacktest,
    shrinkage,
  };
}
