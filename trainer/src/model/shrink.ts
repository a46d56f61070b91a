/**
 * How much of the learned correction to serve. On a small shop the correction can fit noise and forecast
 * worse than the prior it corrects (CDNOW's 1/10 sample, models/README.md). Cross-fitting measures that inside
 * the calibration period: two models, each fitted on half the customers (split by customer, so no customer's
 * overlapping windows straddle the split), forecast the other half's rows with the correction multiplied by
 * each factor of SHRINK_GRID, rate = prior · exp(window level + s · correction).
 * The factor with the lowest out-of-fold Poisson deviance is what the served model's value head is scaled by.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type EpochHook,
  type FitOptions,
  type FitResult,
  type TrainingSet,
  fitModel,
  labelled,
  withTrunk,
} from './fit.js';
import { createModel } from './network.js';

/** The factors the correction is scaled by, the prior alone (0) to the full correction (1). */
export const SHRINK_GRID = [0, 0.25, 0.5, 0.75, 1] as const;

/** Fewest rows a half needs: fitModel validates on a fifth of them. */
const MIN_ROWS = 10;

export interface Shrinkage {
  factor: number;
  /** Out-of-fold Poisson deviance per row at each factor of SHRINK_GRID. */
  deviance: number[];
}

function subset(set: TrainingSet, idx: readonly number[]): TrainingSet {
  const pick = <T>(xs: readonly T[] | undefined) => (xs ? idx.map((i) => xs[i]!) : undefined);
  return {
    x: pick(set.x)!,
    segment: pick(set.segment)!,
    purchases: pick(set.purchases)!,
    churn: pick(set.churn)!,
    offset: pick(set.offset)!,
    window: pick(set.window),
    logHorizon: pick(set.logHorizon),
  };
}

/** Per row: the log-rate without the correction (offset + window level) and the correction itself. */
function parts(model: tf.LayersModel, fit: FitResult, set: TrainingSet): { base: number[]; correction: number[] } {
  const [value, slope] = tf.tidy(() => {
    const [, v, , trunk] = withTrunk(model).predict(tf.tensor2d(set.x)) as tf.Tensor[];
    const g = fit.horizonSlope
      ? trunk!
          .matMul(tf.tensor2d(fit.horizonSlope.kernel, [fit.horizonSlope.kernel.length, 1]))
          .add(fit.horizonSlope.bias)
      : tf.zerosLike(v!);
    return [v!.dataSync(), g.dataSync()];
  });
  const base = set.offset.map((o, i) => o + (set.window ? (fit.windowLevels[set.window[i]!] ?? 0) : 0));
  const correction = set.x.map((_, i) => value![i]! + slope![i]! * (set.logHorizon?.[i] ?? 0));
  return { base, correction };
}

/**
 * With too few rows on either side to fit and validate (a handful of customers) nothing shows the correction
 * holds up, so it is dropped (factor 0: the prior alone) and the deviance list stays empty.
 * @example const { factor } = await crossFitShrinkage(rows, half, { nSegments: 3, seed: 42, epochs: 150 }); // one of SHRINK_GRID
 */
export async function crossFitShrinkage(
  set: TrainingSet,
  half: readonly (0 | 1)[],
  opts: FitOptions,
  onEpoch?: EpochHook,
): Promise<Shrinkage> {
  const sums = SHRINK_GRID.map(() => 0);
  let rows = 0;
  for (const side of [0, 1] as const) {
    const train = half.flatMap((h, i) => (h === side ? [i] : []));
    const test = half.flatMap((h, i) => (h !== side ? [i] : []));
    if (train.length < MIN_ROWS || test.length === 0) return { factor: 0, deviance: [] };
    const model = createModel(set.x[0]!.length, opts.nSegments, opts.seed + 1 + side);
    const fit = await fitModel(model, subset(set, train), {
      ...opts,
      seed: opts.seed + 1 + side,
      onEpoch: labelled(onEpoch, `cross-fit ${side + 1}/2`),
    });
    const held = subset(set, test);
    const { base, correction } = parts(model, fit, held);
    model.dispose();
    SHRINK_GRID.forEach((s, g) => {
      for (let i = 0; i < base.length; i++) {
        const logRate = base[i]! + s * correction[i]!;
        sums[g]! += Math.exp(logRate) - held.purchases[i]! * logRate;
      }
    });
    rows += test.length;
  }
  const deviance = sums.map((s) => s / rows);
  const best = deviance.indexOf(Math.min(...deviance));
  return { factor: SHRINK_GRID[best]!, deviance };
}
