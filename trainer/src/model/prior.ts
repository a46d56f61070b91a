/**
 * The structural prior the model corrects: BG/NBD for purchase-days and Gamma-Gamma for spend per purchase,
 * fitted by maximum likelihood on one frame and evaluated — in training and in the browser alike — by the
 * shared feature module from nothing but a feature vector.
 */
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { type BgnbdParams, type GammaGammaParams, bgnbdPrior } from '../../../sdk/src/features/index.js';
import type { Frame } from '../frame/index.js';
import { fitBgnbd, fitGammaGamma } from './clv-fit.js';
import { logPrior } from './losses.js';

export interface Prior {
  kind: 'bgnbd';
  unitDays: number;
  bgnbd: BgnbdParams;
  gammaGamma: GammaGammaParams;
}

/**
 * Fits on the buyers of a frame. The Gamma-Gamma here averages over all purchase-days (first included),
 * because that is the mean a browser's feature vector holds (avg_order_value).
 * @example fitPrior(frameAtCutoff).bgnbd // { r, alpha, a, b } by maximum likelihood
 */
export function fitPrior(frame: Frame): Prior {
  const buyers = frame.summary.filter((_, i) => frame.orders[i]! > 0);
  const bgnbd = fitBgnbd(buyers).params;
  const gammaGamma = fitGammaGamma(frame.orders.map((n, i) => ({ n, mean: frame.meanSpend[i]! }))).params;
  return { kind: 'bgnbd', unitDays: 7, bgnbd, gammaGamma };
}

/**
 * The prior for every row of a frame over `horizonDays`, from the feature vectors.
 * @example priorFor(frame.x, prior, 273).purchases[0] // the first customer's expected purchase-days in 273 days
 */
export function priorFor(
  x: readonly number[][],
  prior: Prior,
  horizonDays: number,
): { purchases: number[]; spendPerPurchase: number[] } {
  const out = { purchases: [] as number[], spendPerPurchase: [] as number[] };
  for (const row of x) {
    const p = bgnbdPrior(row, FEATURE_NAMES, prior, horizonDays);
    out.purchases.push(p.purchases);
    out.spendPerPurchase.push(p.spendPerPurchase);
  }
  return out;
}

/**
 * log of the prior's expected purchases for every row over `horizonDays`, floored as every head's offset is (losses.ts).
 * @example logPriorFor(frame.x, prior, 273)[0] // Math.log(priorFor(frame.x, prior, 273).purchases[0])
 */
export const logPriorFor = (x: readonly number[][], prior: Prior, horizonDays: number): number[] =>
  priorFor(x, prior, horizonDays).purchases.map(logPrior);
