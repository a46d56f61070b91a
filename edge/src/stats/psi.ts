/**
 * Population stability index of a sample against a reference histogram: Σ (a − e) · ln(a / e) over bins,
 * with a and e the actual and expected shares. Conventional reading: < 0.1 stable, 0.1–0.25 moderate
 * shift, > 0.25 significant shift (retrain or investigate).
 */

/** A histogram as the manifest stores it: `edges` ascending, one more entry than `counts`. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

export type DriftLevel = 'stable' | 'moderate' | 'significant';

/**
 * The conventional PSI reading, one definition for the levels, the drift alarm and the dashboard's words and
 * meters: below `moderate` a feature is stable, from `significant` on it has shifted enough to retrain.
 */
export const PSI_BANDS = { moderate: 0.1, significant: 0.25 } as const;

/** Stands in for an empty bin on either side, so one empty bin cannot make the index infinite. */
const EMPTY_SHARE = 1e-4;

/**
 * The bin a value falls in; values outside the training range count in the outermost bins, which is where
 * the SDK's clamped inputs land too.
 *
 * @example
 * binOf([0, 1, 2], 1.5); // 1
 */
export function binOf(edges: readonly number[], value: number): number {
  const last = edges.length - 2;
  let lo = 0;
  let hi = last;
  // Binary search for the last edge ≤ value (a manifest may carry up to 64 bins).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * PSI of `values` against `reference`, or null when either side is empty or the histogram is inconsistent.
 * `weights` (one per value, default 1) let a capped network source count for less (see sources.ts).
 *
 * @example
 * psi([0.5, 1.5], { edges: [0, 1, 2], counts: [1, 1] }); // 0
 */
export function psi(values: readonly number[], reference: Histogram, weights?: readonly number[]): number | null {
  const { edges, counts } = reference;
  const expectedTotal = counts.reduce((a, b) => a + b, 0);
  if (edges.length !== counts.length + 1 || expectedTotal === 0 || values.length === 0) return null;
  const actual = new Array<number>(counts.length).fill(0);
  let actualTotal = 0;
  values.forEach((value, i) => {
    const w = weights?.[i] ?? 1;
    actual[binOf(edges, value)]! += w;
    actualTotal += w;
  });
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = Math.max(counts[i]! / expectedTotal, EMPTY_SHARE);
    const a = Math.max(actual[i]! / actualTotal, EMPTY_SHARE);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/**
 * @example
 * driftLevel(0.3); // 'significant'
 */
export function driftLevel(index: number): DriftLevel {
  return index < PSI_BANDS.moderate ? 'stable' : index < PSI_BANDS.significant ? 'moderate' : 'significant';
}
