/**
 * BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013) expectations, as pure functions.
 * The trainer fits the parameters; the model ships them in its manifest and uses the BG/NBD expectation as a
 * structural prior (a log-offset its value and churn heads correct). Browser and trainer must compute that
 * prior identically, so it lives here beside the other feature code, reading only the feature vector.
 * Time is in the unit the parameters were fitted in (the trainer uses weeks, as the literature does).
 */
export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer's purchase summary: x repeat purchases, the last at t_x, observed for T (since the first). */
export interface RfSummary {
  x: number;
  tx: number;
  T: number;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(z) for z > 0 (Lanczos, g = 7; about 15 significant digits).
 * @example lgamma(5) // ln 24 ≈ 3.178
 */
export function lgamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  const x = z - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Gauss's hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series. BG/NBD only needs z < 1 and
 * positive a, b, c, where every term is positive, so summing until a term stops mattering is exact enough.
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(0.5)/0.5 ≈ 1.386
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    // Terms can grow before they shrink (large a·b·z/c), so only stop on the shrinking side.
    if (Math.abs(term) < 1e-15 * Math.abs(sum) && (a + n) * (b + n) * z < (c + n) * (n + 1)) return sum;
  }
  return sum;
}

/**
 * Probability the customer is still "alive" (has not dropped out) at T.
 * @example pAlive({ r: .243, alpha: 4.41, a: .793, b: 2.43 }, { x: 0, tx: 0, T: 39 }) // 1
 */
export function pAlive({ r, alpha, a, b }: BgnbdParams, { x, tx, T }: RfSummary): number {
  if (x <= 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.exp((r + x) * Math.log((alpha + T) / (alpha + tx))));
}

/**
 * E[purchases in (T, T + t] | x, t_x, T]: the conditional expectation (FHL 2005, eq. 10).
 * @example bgnbdExpected(params, { x: 2, tx: 30.43, T: 38.86 }, 39) // ≈ 1.2
 */
export function bgnbdExpected(params: BgnbdParams, s: RfSummary, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, T } = s;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const tail = 1 - Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return Math.max(0, head * tail * pAlive(params, s));
}

/**
 * E[purchases in (0, t]] for a customer who has just arrived, with no purchase yet (FHL 2005, eq. 9): the
 * prior for a shopper who has browsed but never bought.
 * @example bgnbdUnconditional(params, 39) // ≈ 1.06 purchases in the first 39 weeks
 */
export function bgnbdUnconditional({ r, alpha, a, b }: BgnbdParams, t: number): number {
  if (t <= 0) return 0;
  const tail = 1 - Math.exp(r * Math.log(alpha / (alpha + t))) * hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return Math.max(0, ((a + b - 1) / (a - 1)) * tail);
}

/**
 * Gamma-Gamma expected spend per purchase for a customer with `n` observed purchases of mean value `mean`
 * (a weighted mix of the population mean and the customer's own).
 * @example ggExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, 2, 22.35) // ≈ 26.6
 */
export function ggExpectedSpend({ p, q, gamma }: GammaGammaParams, n: number, mean: number): number {
  if (n <= 0) return (p * gamma) / (q - 1);
  return (p * (gamma + n * mean)) / (p * n + q - 1);
}

const col = (names: readonly string[], name: string) => {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`feature spec has no '${name}', which the BG/NBD prior needs`);
  return i;
};

/**
 * Recovers the BG/NBD summary (in units of `unitDays`) and the mean order value from a feature vector, by
 * name so a growing feature spec cannot shift it. Orders are purchase-days in transaction logs; tenure runs
 * from the first event, which in a browser may be a visit before the first purchase.
 * @example summaryFromVector(featureVector(agg, now), FEATURE_NAMES, 7) // { x: 4, tx: 0, T: 0, orders: 5, aov: 31 }
 */
export function summaryFromVector(
  row: readonly number[],
  names: readonly string[],
  unitDays: number,
): RfSummary & { orders: number; aov: number } {
  const unlog = (name: string) => Math.max(0, Math.expm1(row[col(names, name)] ?? 0));
  const orders = Math.round(unlog('orders'));
  const T = unlog('tenure_days') / unitDays;
  const recency = unlog('recency_days') / unitDays;
  return {
    x: Math.max(0, orders - 1),
    tx: orders > 0 ? Math.max(0, T - recency) : 0,
    T,
    orders,
    aov: unlog('avg_order_value'),
  };
}

/**
 * The prior for one feature vector over `horizonDays`: expected purchase-days (BG/NBD, unconditional for a
 * shopper who never bought) and expected spend per purchase (Gamma-Gamma).
 * @example bgnbdPrior(row, names, { unitDays: 7, bgnbd, gammaGamma }, 273).purchases // 0.71
 */
export function bgnbdPrior(
  row: readonly number[],
  names: readonly string[],
  prior: { unitDays: number; bgnbd: BgnbdParams; gammaGamma: GammaGammaParams },
  horizonDays: number,
): { purchases: number; spendPerPurchase: number } {
  const s = summaryFromVector(row, names, prior.unitDays);
  const t = horizonDays / prior.unitDays;
  const purchases = s.orders > 0 ? bgnbdExpected(prior.bgnbd, s, t) : bgnbdUnconditional(prior.bgnbd, t);
  return { purchases, spendPerPurchase: ggExpectedSpend(prior.gammaGamma, s.orders, s.aov) };
}
