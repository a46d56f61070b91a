/**
 * The space segments are found in, and the k range searched: standardised features plus the customer's log
 * prior expected purchases (standardised over the customers at the cutoff and weighted), so segments split on
 * how much the prior expects of a customer as well as on what the features describe.
 */
import { columnStats } from '../math/index.js';
import { type Segmentation, chooseK, nearest } from './kmeans.js';

/** How strongly the prior's log expected purchases weighs in clustering, in standard deviations. */
export const PRIOR_WEIGHT = 2;

/** The segment counts tried; the one with the best silhouette is kept. */
export const K_RANGE = [3, 4, 5, 6, 7, 8];

/** Customers k-means is fitted on (a seeded subsample above this); everyone is then labelled by nearest centroid. */
const FIT_SAMPLE = 20_000;

/** One row of the segment space, built on demand so a million customers never sit in one matrix. */
export const segmentRow = (
  xNorm: readonly number[],
  logPrior: number,
  stats: { mean: number; std: number },
): number[] => [...xNorm, (PRIOR_WEIGHT * (logPrior - stats.mean)) / Math.max(1e-9, stats.std)];

/**
 * Segments the customers at the cutoff (k-means for each k of `ks`, k chosen by silhouette) and labels each
 * training row with its nearest segment, in the same space (the cutoff's log-prior statistics).
 * @example const { segmentation, trainingLabels } = segmentCustomers(atCutoff, training, { seed: 42 });
 */
export function segmentCustomers(
  atCutoff: { length: number; xNorm: (i: number) => number[]; logPrior: readonly number[] },
  training: { xNorm: readonly number[][]; logPrior: readonly number[] },
  { seed, ks = K_RANGE }: { seed: number; ks?: number[] },
): { segmentation: Segmentation; trainingLabels: number[] } {
  const logStats = columnStats(atCutoff.logPrior.map((v) => [v]));
  const stats = { mean: logStats.mean[0]!, std: logStats.std[0]! };
  const segmentation = chooseK(
    { length: atCutoff.length, get: (i) => segmentRow(atCutoff.xNorm(i), atCutoff.logPrior[i]!, stats) },
    { seed, ks, fitSample: FIT_SAMPLE },
  );
  const trainingLabels = training.xNorm.map(
    (r, i) => nearest(segmentRow(r, training.logPrior[i]!, stats), segmentation.centroids).index,
  );
  return { segmentation, trainingLabels };
}
