/**
 * How good could this model get on this holdout, given these features? The same architecture and loss,
 * trained on the holdout's own targets (its level and horizon known), k-fold: each customer is forecast by
 * a model that never saw them. It reads the holdout, so it only ever goes into the report: when a target
 * lies below what even this reaches, the features lack the information, and no training scheme inside the
 * calibration period will find it.
 */
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import type { Frame } from '../frame/index.js';
import { mulberry32, rmse, sampleIndices, sum } from '../math/index.js';
import { type EpochHook, createModel, fitModel, labelled, logPrior, priorFor, score } from '../model/index.js';
import type { Calibration } from './evaluate.js';

/** What the ceiling reads of a calibration; `trainingRows` bounds each fold's rows to what the served model had. */
export type CeilingInput = Pick<Calibration, 'norm' | 'prior' | 'segmentation'> & { trainingRows: number };

export interface Ceiling {
  folds: number;
  /** Out-of-fold forecasts' RMSE over BG/NBD's on the same customers. */
  rmseRatio: number;
  /** Out-of-fold total over the actual total, − 1. */
  totalError: number;
}

/**
 * `bgnbdRmse` is the baseline's RMSE on the same frame, the ratio's denominator as in the evaluation.
 * @example const c = await holdoutCeiling(cal, holdoutFrame, ev.metrics.bgnbd_purchases_rmse, { seed: 42, epochs: 150 }); c.rmseRatio // out-of-fold RMSE / BG/NBD's
 */
export async function holdoutCeiling(
  cal: CeilingInput,
  holdout: Frame,
  bgnbdRmse: number,
  opts: { seed: number; epochs: number; folds?: number; onEpoch?: EpochHook },
): Promise<Ceiling> {
  const { seed, epochs, folds = 5 } = opts;
  const horizonDays = (holdout.end - holdout.at) / 86_400_000;
  const prior = priorFor(holdout.x, cal.prior, horizonDays).purchases;
  const y = holdout.purchases;
  const forecast = new Array<number>(y.length).fill(0);
  const k = cal.segmentation.k;
  for (let fold = 0; fold < folds; fold++) {
    const others = y.flatMap((_, i) => (i % folds !== fold ? [i] : []));
    // No more rows than the served model trained on: bounded time at a million customers, and no unfair edge.
    const train = sampleIndices(others.length, cal.trainingRows, mulberry32(seed + fold)).map((r) => others[r]!);
    const test = y.flatMap((_, i) => (i % folds === fold ? [i] : []));
    const model = createModel(FEATURE_NAMES.length, k, seed + fold);
    await fitModel(
      model,
      {
        x: train.map((i) => normalise(holdout.x[i]!, cal.norm)),
        segment: train.map((i) => cal.segmentation.labels[i]!),
        purchases: train.map((i) => y[i]!),
        churn: train.map((i) => (y[i]! > 0 ? 0 : 1)),
        offset: train.map((i) => logPrior(prior[i]!)),
      },
      { nSegments: k, seed: seed + fold, epochs, onEpoch: labelled(opts.onEpoch, `ceiling ${fold + 1}/${folds}`) },
    );
    const p = score(
      model,
      test.map((i) => holdout.x[i]!),
      cal.norm,
      cal.prior,
      horizonDays,
    ).purchases;
    test.forEach((i, r) => {
      forecast[i] = p[r]!;
    });
    model.dispose();
  }
  const actual = sum(y);
  return { folds, rmseRatio: rmse(forecast, y) / bgnbdRmse, totalError: actual > 0 ? sum(forecast) / actual - 1 : 0 };
}
