/** Numerics every stage shares, none of them about the model: statistics, evaluation metrics, a seeded PRNG, an optimiser. */
export { columnStats, auc, rmse, spearman, quantile, withoutDuplicates, histograms } from './stats.js';
export {
  mae,
  sum,
  meanAt,
  logLoss,
  topDecileLift,
  agreement,
  varianceExplained,
  adjustedRand,
  tertiles,
  scaledByGroupOutOfFold,
  byDecile,
} from './metrics.js';
export { type Rng, mulberry32, permutation, sampleIndices } from './prng.js';
export { type Minimum, nelderMead } from './optimize.js';
