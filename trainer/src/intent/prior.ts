import type { FeatureName } from '../../../sdk/src/contract/index.js';

/**
 * The funnel prior: what a cart add and a started checkout say about a visit ending in an order, for training
 * data that has no cart or checkout events (UCI has neither). Not learned here and never silently zero: a
 * fixed log-odds offset per step, derived from published funnel rates and the training data's own base
 * rate, added to the tower's logit by the browser (manifest graph.intent.offsets), to be re-learned from a
 * shop's own events (trainer --format events learns these features instead, monotone, and drops the offset).
 *
 * Bayes with odds: a cart add multiplies the odds of an order by P(cart | order) / P(cart | no order).
 * Every order goes through the cart, so the numerator is 1; with a share `a` of carts ending in an order and a
 * visit conversion rate `c`, carts without an order are c·(1/a − 1) of all visits, so
 *   P(cart | no order) = c·(1/a − 1) / (1 − c),   β_cart = −ln P(cart | no order).
 * A started checkout, given a cart, multiplies them again by 1 / P(checkout | cart, no order) with
 *   P(checkout | cart, no order) = (a/b − a) / (1 − a),   β_checkout = −ln of it,
 * where `b` is the share of started checkouts that end in an order.
 */

/**
 * a: 1 − 0.7019, Baymard Institute's average documented online cart abandonment rate (70.19 %, the mean of
 * 49 studies; baymard.com/lists/cart-abandonment-rate).
 */
export const CART_TO_ORDER = 1 - 0.7019;
/**
 * b: Bold Commerce's checkout benchmark, Q3 2021 (3 million checkout sessions): 52.5 % of started checkouts
 * completed on desktop, 42.4 % on mobile, which started 55.5 % of them: 0.445·52.5 + 0.555·42.4 ≈ 46.9 %.
 */
export const CHECKOUT_TO_ORDER = 0.445 * 0.525 + 0.555 * 0.424;

/** The funnel steps the prior covers, and how each feature is read: one cart add is the step (log1p 1 = ln 2). */
export const FUNNEL: readonly { feature: FeatureName; cap?: number }[] = [
  { feature: 'visit_cart_adds', cap: Math.LN2 },
  { feature: 'visit_checkout' },
];

export interface FunnelPrior {
  /** The training data's visit conversion rate c. */
  baseRate: number;
  /** Log-odds added by a cart add and by a started checkout. */
  cart: number;
  checkout: number;
  /** As the manifest carries it: logit += perUnit · min(raw, cap). */
  offsets: { feature: FeatureName; perUnit: number; cap?: number }[];
}

/**
 * @example funnelPrior(0.155).cart // 0.84: a cart add multiplies the odds by 2.3
 */
export function funnelPrior(baseRate: number, a = CART_TO_ORDER, b = CHECKOUT_TO_ORDER): FunnelPrior {
  if (!(baseRate > 0 && baseRate < 1)) throw new Error(`the funnel prior needs a base rate in (0, 1), got ${baseRate}`);
  // A base rate so high that carts without an order would exceed the visits without one has no valid prior.
  const cartNoOrder = Math.min(1, (baseRate * (1 / a - 1)) / (1 - baseRate));
  const checkoutNoOrder = Math.min(1, (a / b - a) / (1 - a));
  const cart = -Math.log(cartNoOrder);
  const checkout = -Math.log(checkoutNoOrder);
  return {
    baseRate,
    cart,
    checkout,
    offsets: [
      { feature: 'visit_cart_adds', perUnit: cart / Math.LN2, cap: Math.LN2 },
      { feature: 'visit_checkout', perUnit: checkout },
    ],
  };
}

/**
 * The offsets' sum for raw rows whose columns are `names` (0 for a column the rows lack).
 * @example offsetOf(prior.offsets, ['visit_cart_adds'], [[Math.LN2]]) // [0.84]
 */
export function offsetOf(
  offsets: FunnelPrior['offsets'],
  names: readonly FeatureName[],
  rows: readonly (readonly number[])[],
): number[] {
  const at = offsets.map((o) => names.indexOf(o.feature));
  return rows.map((r) =>
    offsets.reduce((s, o, k) => (at[k]! < 0 ? s : s + o.perUnit * Math.min(r[at[k]!]!, o.cap ?? Infinity)), 0),
  );
}
