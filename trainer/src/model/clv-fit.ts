/**
 * Maximum-likelihood fits of BG/NBD (purchase counts) and Gamma-Gamma (spend per purchase). Parameters are
 * optimised on the log scale, which keeps them positive without constraints. Identical summaries are
 * grouped first: a transaction log has far fewer distinct (x, t_x, T) than customers, so 1 M customers fit
 * in about the time of their distinct summaries.
 */
import { type BgnbdParams, type GammaGammaParams, type RfSummary, lgamma } from '../../../sdk/src/features/index.js';
import { nelderMead } from '../math/index.js';

interface Grouped<T> {
  rows: T[];
  weights: number[];
}

function group<T>(rows: readonly T[], key: (r: T) => string): Grouped<T> {
  const at = new Map<string, number>();
  const out: Grouped<T> = { rows: [], weights: [] };
  for (const r of rows) {
    const k = key(r);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.rows.length);
      out.rows.push(r);
      out.weights.push(1);
    } else out.weights[i]!++;
  }
  return out;
}

/**
 * Total BG/NBD log-likelihood (FHL 2005, eq. 6), written with logs so large x cannot overflow.
 * @example bgnbdLogLik({ r: .243, alpha: 4.414, a: .793, b: 2.426 }, cdnowSample) // ≈ −9582.4, as Fader, Hardie & Lee (2005) report
 */
export function bgnbdLogLik(
  { r, alpha, a, b }: BgnbdParams,
  rows: readonly RfSummary[],
  weights?: readonly number[],
): number {
  const base = lgamma(a + b) - lgamma(b) - lgamma(r) + r * Math.log(alpha);
  let total = 0;
  rows.forEach(({ x, tx, T }, i) => {
    const a1 = lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x) + base;
    const a3 = -(r + x) * Math.log(alpha + T);
    let ll = a3;
    if (x > 0) {
      const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
      const m = Math.max(a3, a4);
      ll = m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
    }
    total += (weights?.[i] ?? 1) * (a1 + ll);
  });
  return total;
}

/**
 * @example fitBgnbd(summaries).params // { r: 0.243, alpha: 4.41, a: 0.793, b: 2.43 } on the CDNOW sample, as published
 */
export function fitBgnbd(rows: readonly RfSummary[]): { params: BgnbdParams; logLik: number } {
  // Rounding to 1e-6 weeks only merges summaries that are equal up to float noise.
  const g = group(rows, (s) => `${s.x}|${s.tx.toFixed(6)}|${s.T.toFixed(6)}`);
  const toParams = ([lr, la, laa, lb]: number[]) => ({
    r: Math.exp(lr!),
    alpha: Math.exp(la!),
    a: Math.exp(laa!),
    b: Math.exp(lb!),
  });
  const meanT = rows.reduce((s, r) => s + r.T, 0) / Math.max(1, rows.length);
  const best = nelderMead(
    (p) => -bgnbdLogLik(toParams(p), g.rows, g.weights),
    [0, Math.log(Math.max(1, meanT / 4)), 0, 0],
  );
  // A restart from the optimum escapes the occasional premature collapse of the simplex.
  const again = nelderMead((p) => -bgnbdLogLik(toParams(p), g.rows, g.weights), best.x, { step: 0.1 });
  return { params: toParams(again.x), logLik: -again.value };
}

export interface SpendSummary {
  /** Purchases the mean is over. */
  n: number;
  mean: number;
}

/**
 * Gamma-Gamma log-likelihood of customers' mean spend per purchase (terms that do not depend on the
 * parameters dropped), over customers with n ≥ 1 and a positive mean.
 */
export function ggLogLik(
  { p, q, gamma }: GammaGammaParams,
  rows: readonly SpendSummary[],
  weights?: readonly number[],
): number {
  let total = 0;
  rows.forEach(({ n, mean }, i) => {
    const ll =
      lgamma(p * n + q) -
      lgamma(p * n) -
      lgamma(q) +
      q * Math.log(gamma) +
      (p * n - 1) * Math.log(mean) +
      p * n * Math.log(n) -
      (p * n + q) * Math.log(gamma + n * mean);
    total += (weights?.[i] ?? 1) * ll;
  });
  return total;
}

/**
 * @example fitGammaGamma(repeatBuyers).params // { p: 6.25, q: 3.74, gamma: 15.44 } on the CDNOW sample, as published
 */
export function fitGammaGamma(rows: readonly SpendSummary[]): { params: GammaGammaParams; logLik: number } {
  const usable = rows.filter((r) => r.n >= 1 && r.mean > 0);
  if (usable.length < 3) throw new Error(`Gamma-Gamma needs at least 3 customers with spend, got ${usable.length}`);
  const g = group(usable, (s) => `${s.n}|${s.mean.toFixed(4)}`);
  const toParams = ([lp, lq, lg]: number[]) => ({ p: Math.exp(lp!), q: Math.exp(lq!), gamma: Math.exp(lg!) });
  const meanSpend = usable.reduce((s, r) => s + r.mean, 0) / usable.length;
  const first = nelderMead((x) => -ggLogLik(toParams(x), g.rows, g.weights), [0, Math.log(2), Math.log(meanSpend)]);
  const again = nelderMead((x) => -ggLogLik(toParams(x), g.rows, g.weights), first.x, { step: 0.1 });
  return { params: toParams(again.x), logLik: -again.value };
}
