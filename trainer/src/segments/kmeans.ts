/**
 * k-means++ on standardised feature rows, with restarts, and k chosen by mean silhouette. Everything random
 * draws from a seeded PRNG so the same seed yields the same segments.
 */
import { type Rng, mulberry32, sampleIndices } from '../math/index.js';

export interface KMeans {
  k: number;
  centroids: number[][];
  labels: number[];
  /** Sum of squared distances to the assigned centroid; the best restart has the lowest. */
  inertia: number;
}

export interface KMeansOptions {
  seed: number;
  restarts?: number;
  maxIter?: number;
}

// Plain loops (the same sums, in the same order, as a reduce): these run a million times per labelling.
function sqDist(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return s;
}

/**
 * The index of the nearest centroid and its squared distance.
 * @example nearest([0, 0], [[5, 5], [1, 0]]) // { index: 1, d2: 1 }
 */
export function nearest(
  row: readonly number[],
  centroids: readonly (readonly number[])[],
): { index: number; d2: number } {
  let index = 0;
  let d2 = Infinity;
  for (let i = 0; i < centroids.length; i++) {
    const d = sqDist(row, centroids[i]!);
    if (d < d2) {
      index = i;
      d2 = d;
    }
  }
  return { index, d2 };
}

/** k-means++ seeding: each new centre is drawn with probability proportional to its squared distance. */
function seedCentroids(rows: readonly number[][], k: number, rng: Rng): number[][] {
  const centroids = [rows[Math.floor(rng() * rows.length)]!];
  const d2 = rows.map((r) => sqDist(r, centroids[0]!));
  while (centroids.length < k) {
    const total = d2.reduce((s, x) => s + x, 0);
    let target = rng() * total;
    let pick = rows.length - 1;
    for (let i = 0; i < rows.length; i++) {
      target -= d2[i]!;
      if (target < 0) {
        pick = i;
        break;
      }
    }
    const c = rows[pick]!;
    centroids.push(c);
    rows.forEach((r, i) => {
      d2[i] = Math.min(d2[i]!, sqDist(r, c));
    });
  }
  return centroids.map((c) => [...c]);
}

function lloyd(rows: readonly number[][], start: number[][], maxIter: number): KMeans {
  const k = start.length;
  let centroids = start;
  let labels = new Array<number>(rows.length).fill(-1);
  for (let iter = 0; iter < maxIter; iter++) {
    const next = rows.map((r) => nearest(r, centroids).index);
    const changed = next.some((l, i) => l !== labels[i]);
    labels = next;
    if (!changed) break;
    const sums = Array.from({ length: k }, () => new Array<number>(rows[0]!.length).fill(0));
    const counts = new Array<number>(k).fill(0);
    rows.forEach((r, i) => {
      counts[labels[i]!]!++;
      r.forEach((x, j) => {
        sums[labels[i]!]![j]! += x;
      });
    });
    // An emptied cluster keeps its old centre rather than becoming NaN.
    centroids = sums.map((s, c) => (counts[c]! > 0 ? s.map((x) => x / counts[c]!) : centroids[c]!));
  }
  const inertia = rows.reduce((s, r, i) => s + sqDist(r, centroids[labels[i]!]!), 0);
  return { k, centroids, labels, inertia };
}

/**
 * Best of `restarts` seeded k-means++ runs.
 * @example kmeans(rows, 3, { seed: 42 }).labels // one cluster index per row
 */
export function kmeans(
  rows: readonly number[][],
  k: number,
  { seed, restarts = 5, maxIter = 100 }: KMeansOptions,
): KMeans {
  if (rows.length < k) throw new Error(`k-means needs at least k=${k} rows, got ${rows.length}`);
  const rng = mulberry32(seed);
  let best: KMeans | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(rows, seedCentroids(rows, k, rng), maxIter);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}

/**
 * Mean silhouette of labelled rows (O(n²), so callers pass a subsample); singleton clusters score 0.
 * @example silhouette([[0], [0.1], [5], [5.1]], [0, 0, 1, 1]) // ≈ 0.98
 */
export function silhouette(rows: readonly number[][], labels: readonly number[]): number {
  const k = Math.max(...labels) + 1;
  let total = 0;
  rows.forEach((r, i) => {
    const sums = new Array<number>(k).fill(0);
    const counts = new Array<number>(k).fill(0);
    rows.forEach((o, j) => {
      if (i === j) return;
      sums[labels[j]!]! += Math.sqrt(sqDist(r, o));
      counts[labels[j]!]!++;
    });
    const own = labels[i]!;
    if (counts[own] === 0) return;
    const a = sums[own]! / counts[own]!;
    const b = Math.min(...sums.map((s, c) => (c === own || counts[c] === 0 ? Infinity : s / counts[c]!)));
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  });
  return total / rows.length;
}

export interface Segmentation extends KMeans {
  silhouette: number;
  scores: { k: number; silhouette: number }[];
}

/** Rows produced on demand (e.g. standardised from raw features), so a million never sit in memory at once. */
export interface RowSource {
  length: number;
  get: (i: number) => number[];
}

/**
 * Fits k-means for each k in `ks` on at most `fitSample` rows (a seeded subsample) and keeps the k whose
 * labels give the best silhouette on a seeded subsample of at most `sample` rows; then labels every row by
 * its nearest centroid, once, for the chosen k.
 * @example chooseK(rows, { seed: 42 }).k // 3 for three well-separated blobs
 */
export function chooseK(
  rows: readonly number[][] | RowSource,
  {
    seed,
    ks = [3, 4, 5, 6],
    sample = 2000,
    fitSample = Infinity,
    restarts,
  }: KMeansOptions & { ks?: number[]; sample?: number; fitSample?: number },
): Segmentation {
  const n = rows.length;
  const get = Array.isArray(rows) ? (i: number) => (rows as readonly number[][])[i]! : (rows as RowSource).get;
  const idx = sampleIndices(n, sample, mulberry32(seed ^ 0x5eed));
  // k-means on a seeded subsample bounds the cost for a million customers; everyone is then labelled by
  // nearest centroid, which is what a fitted k-means does anyway.
  const subsampled = n > fitSample;
  const fitRows = subsampled
    ? sampleIndices(n, fitSample, mulberry32(seed ^ 0xf17)).map(get)
    : Array.from({ length: n }, (_, i) => get(i));
  const silRows = subsampled ? idx.map(get) : idx.map((i) => fitRows[i]!);
  let best: (KMeans & { silhouette: number }) | null = null;
  const scores: { k: number; silhouette: number }[] = [];
  for (const k of ks) {
    const fit = kmeans(fitRows, k, { seed: seed + k, restarts });
    const labels = subsampled ? silRows.map((r) => nearest(r, fit.centroids).index) : idx.map((i) => fit.labels[i]!);
    const s = silhouette(silRows, labels);
    scores.push({ k, silhouette: s });
    if (!best || s > best.silhouette) best = { ...fit, silhouette: s };
  }
  const { centroids } = best!;
  const labels = subsampled ? Array.from({ length: n }, (_, i) => nearest(get(i), centroids).index) : best!.labels;
  return { ...best!, labels, scores };
}
