/** Evaluation metrics beyond the basic statistics: forecasts, classifiers, groupings. All pure. */
import { quantile } from './stats.js';

/** @example mae([1, 2], [1, 4]) // 1 */
export const mae = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / Math.max(1, a.length);

export const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Mean of `xs` at the indices `idx`; 0 for none. @example meanAt([1, 5, 9], [0, 2]) // 5 */
export const meanAt = (xs: readonly number[], idx: readonly number[]) =>
  idx.length ? sum(idx.map((i) => xs[i]!)) / idx.length : 0;

/**
 * Mean binary log-loss, probabilities clipped to [1e-7, 1 − 1e-7].
 * @example logLoss([0.5], [1]) // ln 2
 */
export function logLoss(p: readonly number[], y: readonly number[]): number {
  const clip = (x: number) => Math.min(1 - 1e-7, Math.max(1e-7, x));
  return -p.reduce((s, x, i) => s + (y[i] ? Math.log(clip(x)) : Math.log(1 - clip(x))), 0) / Math.max(1, p.length);
}

/**
 * Share of the actual total held by the top 10 % by score, over 10 %: 1 is random, higher is better.
 * Ties at the boundary are broken by index, so a constant score yields about 1.
 * @example topDecileLift([3, 2, 1, 0, …], actual) // 4.2
 */
export function topDecileLift(score: readonly number[], actual: readonly number[]): number {
  const total = sum(actual);
  if (total === 0) return 0;
  const order = new Uint32Array(score.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  const n = Math.max(1, Math.round(score.length / 10));
  let top = 0;
  for (let k = 0; k < Math.min(n, order.length); k++) top += actual[order[k]!]!;
  return top / total / (n / score.length);
}

function confusion(pred: readonly number[], truth: readonly number[], k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  pred.forEach((p, i) => {
    m[truth[i]!]![p]!++;
  });
  return m;
}

/**
 * Accuracy, macro-F1 and Cohen's kappa of predicted labels against reference labels 0..k−1.
 * @example agreement([0, 1, 1], [0, 1, 0], 2) // { accuracy: 0.667, macroF1: 0.667, kappa: 0.4 }
 */
export function agreement(
  pred: readonly number[],
  truth: readonly number[],
  k: number,
): { accuracy: number; macroF1: number; kappa: number } {
  const m = confusion(pred, truth, k);
  const n = Math.max(1, pred.length);
  const diag = m.reduce((s, row, i) => s + row[i]!, 0);
  const rows = m.map(sum);
  const cols = m[0]!.map((_, j) => sum(m.map((r) => r[j]!)));
  const f1 = m.map((row, i) => (rows[i]! + cols[i]! === 0 ? 0 : (2 * row[i]!) / (rows[i]! + cols[i]!)));
  const present = f1.filter((_, i) => rows[i]! > 0);
  const pe = rows.reduce((s, r, i) => s + r * cols[i]!, 0) / (n * n);
  const po = diag / n;
  return {
    accuracy: po,
    macroF1: sum(present) / Math.max(1, present.length),
    kappa: pe === 1 ? 1 : (po - pe) / (1 - pe),
  };
}

/**
 * Between-group share of the variance of `y` (η²): how much knowing the group tells about the outcome.
 * @example varianceExplained([1, 1, 5, 5], [0, 0, 1, 1]) // 1
 */
export function varianceExplained(y: readonly number[], groups: readonly number[]): number {
  const mean = sum(y) / Math.max(1, y.length);
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (total === 0) return 0;
  const by = new Map<number, { s: number; n: number }>();
  y.forEach((v, i) => {
    const g = by.get(groups[i]!) ?? { s: 0, n: 0 };
    g.s += v;
    g.n++;
    by.set(groups[i]!, g);
  });
  let between = 0;
  for (const { s, n } of by.values()) between += n * (s / n - mean) ** 2;
  return between / total;
}

/**
 * Adjusted Rand index of two labelings of the same items (1 identical up to renaming, ≈0 random).
 * @example adjustedRand([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function adjustedRand(a: readonly number[], b: readonly number[]): number {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const cells = new Map<string, number>();
  const ra = new Map<number, number>();
  const rb = new Map<number, number>();
  a.forEach((x, i) => {
    cells.set(`${x}|${b[i]}`, (cells.get(`${x}|${b[i]}`) ?? 0) + 1);
    ra.set(x, (ra.get(x) ?? 0) + 1);
    rb.set(b[i]!, (rb.get(b[i]!) ?? 0) + 1);
  });
  const index = sum([...cells.values()].map(pairs));
  const sa = sum([...ra.values()].map(pairs));
  const sb = sum([...rb.values()].map(pairs));
  const expected = (sa * sb) / Math.max(1, pairs(a.length));
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/**
 * Tertile group 0..2 of each value: ties stay together, so a mass of equal values can leave a group empty.
 * @example tertiles([1, 2, 3, 4, 5, 6]) // [0, 0, 1, 1, 2, 2]
 */
export function tertiles(xs: readonly number[]): number[] {
  const [t1, t2] = [quantile(xs, 1 / 3), quantile(xs, 2 / 3)];
  return xs.map((x) => (x <= t1 ? 0 : x <= t2 ? 1 : 2));
}

/**
 * `forecast` with each group's values multiplied by the factor that minimises that group's squared error
 * (Σ f·y / Σ f²) on the other folds' rows: the best correction by group a holdout could teach, scored on rows
 * it did not fit. Fitted in-sample instead, the factors of small groups (a few customers with 20 repeat
 * purchases) fit their own noise and promise a gain no forecaster could have. A group absent from the other
 * folds keeps factor 1.
 * @example scaledByGroupOutOfFold([1, 1, 1, 1], [4, 4, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1]) // [0, 0, 4, 4]
 */
export function scaledByGroupOutOfFold(
  forecast: readonly number[],
  actual: readonly number[],
  groups: readonly number[],
  folds: readonly number[],
): number[] {
  const key = (g: number, f: number) => `${g}|${f}`;
  const byGroup = new Map<number, { fy: number; ff: number }>();
  const byCell = new Map<string, { fy: number; ff: number }>();
  const add = <K>(m: Map<K, { fy: number; ff: number }>, k: K, i: number) => {
    const s = m.get(k) ?? { fy: 0, ff: 0 };
    m.set(k, { fy: s.fy + forecast[i]! * actual[i]!, ff: s.ff + forecast[i]! ** 2 });
  };
  groups.forEach((g, i) => {
    add(byGroup, g, i);
    add(byCell, key(g, folds[i]!), i);
  });
  return forecast.map((f, i) => {
    const all = byGroup.get(groups[i]!)!;
    const own = byCell.get(key(groups[i]!, folds[i]!))!;
    const ff = all.ff - own.ff;
    return ff > 1e-12 ? (f * (all.fy - own.fy)) / ff : f;
  });
}

/**
 * Rows ranked by `predicted` (ties by index) and cut into ten groups of equal size, lowest first, with each
 * group's mean prediction and mean outcome: where the two part, the forecasts cannot be taken at face value.
 * @example byDecile([0.1, 0.9, …], [0, 1, …])[9] // { n: 100, predicted: 0.87, actual: 0.91 }
 */
export function byDecile(
  predicted: readonly number[],
  actual: readonly number[],
): { n: number; predicted: number; actual: number }[] {
  const order = Array.from(predicted, (_, i) => i).sort((a, b) => predicted[a]! - predicted[b]! || a - b);
  return Array.from({ length: 10 }, (_, d) => {
    const rows = order.slice(Math.round((d * order.length) / 10), Math.round(((d + 1) * order.length) / 10));
    return { n: rows.length, predicted: meanAt(predicted, rows), actual: meanAt(actual, rows) };
  });
}
