/** Small statistics for normalisation and evaluation; their only import is the SDK's MIN_STD. */
import { MIN_STD } from '../../../sdk/src/features/index.js';

/**
 * Column means, (population) standard deviations and ranges: the statistics the manifest ships for
 * normalise(), which clamps serving inputs to the range seen here.
 * @example columnStats([[1, 5], [3, 5]]) // { mean: [2, 5], std: [1, 0], min: [1, 5], max: [3, 5] }
 */
export function columnStats(rows: readonly (readonly number[])[]): {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
} {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  const min = new Array<number>(d).fill(Infinity);
  const max = new Array<number>(d).fill(-Infinity);
  for (const r of rows) {
    for (let j = 0; j < d; j++) {
      mean[j]! += r[j]! / rows.length;
      min[j] = Math.min(min[j]!, r[j]!);
      max[j] = Math.max(max[j]!, r[j]!);
    }
  }
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  return { mean, std: std.map(Math.sqrt), min, max };
}

/** Average ranks (1-based), ties sharing the mean of their positions. Sorts indices, not [value, index] pairs. */
function ranks(xs: readonly number[]): Float64Array {
  const order = new Uint32Array(xs.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => xs[a]! - xs[b]!);
  const r = new Float64Array(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    for (let k = i; k <= j; k++) r[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/**
 * ROC AUC via the rank-sum identity; ties count one half, so a yes/no rule scores fairly against a score.
 * @example auc([0.1, 0.9], [0, 1]) // 1
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const r = ranks(scores);
  let pos = 0;
  let sum = 0;
  labels.forEach((y, i) => {
    if (y === 1) {
      pos++;
      sum += r[i]!;
    }
  });
  const neg = labels.length - pos;
  return pos === 0 || neg === 0 ? 0.5 : (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** @example rmse([1, 2], [1, 4]) // √2 */
export function rmse(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0) / Math.max(1, a.length));
}

/** Pearson correlation; the same sums, in the same order, as columnStats over the pairs, without the pairs. */
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    va += (a[i]! - ma) ** 2 / n;
    vb += (b[i]! - mb) ** 2 / n;
  }
  const [sa, sb] = [Math.sqrt(va), Math.sqrt(vb)];
  if (sa === 0 || sb === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (n * sa * sb);
}

/**
 * Spearman rank correlation (0 when either side is constant).
 * @example spearman([1, 2, 3], [10, 20, 15]) // 0.5
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}

/**
 * The q-quantile (0..1) by linear interpolation between order statistics.
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

/**
 * Zeroes the std of every column that exactly repeats an earlier one, so normalise() maps it to 0 at
 * training and at serving time. CDNOW logs purchases only, so `sessions` there is just `orders` again; in a
 * browser it counts browsing too, and a model that had leant on it would misread every browsing shopper.
 * @example withoutDuplicates({ mean: [1, 1], std: [2, 2] }, [[0, 0], [2, 2]]).std // [2, 0]
 */
export function withoutDuplicates<N extends { mean: number[]; std: number[] }>(
  norm: N,
  rows: readonly (readonly number[])[],
): N & { duplicates: number[] } {
  const d = norm.std.length;
  const duplicates: number[] = [];
  for (let j = 1; j < d; j++) {
    for (let i = 0; i < j; i++) {
      if (norm.std[i]! >= MIN_STD && rows.every((r) => r[i] === r[j])) {
        duplicates.push(j);
        break;
      }
    }
  }
  return { ...norm, std: norm.std.map((s, j) => (duplicates.includes(j) ? 0 : s)), duplicates };
}

/**
 * Per-column histograms with `bins` equal-width bins over the column's range (one bin for a constant
 * column): the training distribution the edge compares incoming syncs against.
 * @example histograms([[0], [1], [1]], 2)[0] // { edges: [0, 0.5, 1], counts: [1, 2] }
 */
export function histograms(rows: readonly (readonly number[])[], bins = 16): { edges: number[]; counts: number[] }[] {
  const { min, max } = columnStats(rows);
  return min.map((lo, j) => {
    const hi = max[j]!;
    const n = hi > lo ? bins : 1;
    const width = hi > lo ? (hi - lo) / n : 1;
    const edges = Array.from({ length: n + 1 }, (_, i) => (i === n && hi > lo ? hi : lo + i * width));
    const counts = new Array<number>(n).fill(0);
    for (const r of rows) counts[Math.min(n - 1, Math.floor((r[j]! - lo) / width))]!++;
    return { edges, counts };
  });
}
