/**
 * What an analyst would use instead of the model, scored on the same customers and window:
 * BG/NBD (+ Gamma-Gamma for spend), "next period = last period", and RFM quantile rules.
 */
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { DAY_MS, bgnbdExpected, bgnbdUnconditional, ggExpectedSpend } from '../../../sdk/src/features/index.js';
import type { Frame } from '../frame/index.js';
import { tertiles } from '../math/index.js';
import { type Prior, fitGammaGamma } from '../model/index.js';

/** A forecast of each customer's purchase-days and spend in the holdout. */
export interface Forecast {
  purchases: number[];
  spend: number[];
}

const RECENCY = FEATURE_NAMES.indexOf('recency_days');

/**
 * Recency × frequency tertiles: 9 groups (0..8), recency from the feature vector, frequency = purchase-days.
 * @example rfmGroups(frame)[0] // 8 for a recent, frequent buyer
 */
export function rfmGroups(frame: Frame): number[] {
  const r = tertiles(frame.x.map((row) => -row[RECENCY]!));
  const f = tertiles(frame.orders);
  return r.map((g, i) => 3 * g + f[i]!);
}

/**
 * BG/NBD with the parameters fitted at the cutoff, and the textbook Gamma-Gamma (repeat purchases only).
 * @example bgnbdForecast(frame, prior, 273).purchases
 */
export function bgnbdForecast(
  frame: Frame,
  prior: Prior,
  horizonDays: number,
): Forecast & { gammaGamma: ReturnType<typeof fitGammaGamma>['params'] } {
  const t = horizonDays / prior.unitDays;
  const gg = fitGammaGamma(
    frame.summary.map((s, i) => ({ n: s.x, mean: frame.repeatSpend[i]! })).filter((s) => s.n > 0),
  ).params;
  const purchases = frame.summary.map((s, i) =>
    frame.orders[i]! > 0 ? bgnbdExpected(prior.bgnbd, s, t) : bgnbdUnconditional(prior.bgnbd, t),
  );
  const spend = purchases.map((p, i) => p * ggExpectedSpend(gg, frame.summary[i]!.x, frame.repeatSpend[i]!));
  return { purchases, spend, gammaGamma: gg };
}

/**
 * The last window of the holdout's length before the cutoff, repeated (scaled up when history is shorter);
 * spend follows at each customer's mean spend per purchase-day.
 * @example lastPeriodForecast(frame, dataStart).purchases
 */
export function lastPeriodForecast(frame: Frame, dataStart: number): Forecast {
  const horizon = frame.end - frame.at;
  const scale = horizon / Math.max(DAY_MS, Math.min(horizon, frame.at - dataStart));
  const purchases = frame.lastPeriod.map((n) => n * scale);
  return { purchases, spend: purchases.map((p, i) => p * frame.meanSpend[i]!) };
}

/**
 * RFM rules as an analyst runs them: each group's purchase rate per day, learned on a calibration frame
 * (internal cutoff, targets inside calibration), applied to the same groups at the cutoff.
 * @example rfmForecast(trainFrame, frame).purchases
 */
export function rfmForecast(learnOn: Frame, frame: Frame): Forecast {
  const groups = rfmGroups(learnOn);
  const days = (learnOn.end - learnOn.at) / DAY_MS;
  const rate = new Array<number>(9).fill(0);
  const count = new Array<number>(9).fill(0);
  groups.forEach((g, i) => {
    rate[g]! += learnOn.purchases[i]!;
    count[g]!++;
  });
  const perDay = rate.map((s, g) => (count[g]! > 0 ? s / count[g]! / days : 0));
  const horizon = (frame.end - frame.at) / DAY_MS;
  const purchases = rfmGroups(frame).map((g) => perDay[g]! * horizon);
  return { purchases, spend: purchases.map((p, i) => p * frame.meanSpend[i]!) };
}
