/**
 * The one feature definition, shared by the SDK (serving), the trainer (training) and the edge: the aggregate,
 * the feature vector, its normalisation and the BG/NBD prior read from it, plus the manifest graph's plain forward
 * pass and the model check built on it (the edge's publish route, the trainer's publish-model). No DOM, no tfjs.
 */
export { applyEvent, emptyAggregates, addDecayed, decayedAt, DAY_MS, SESSION_GAP_MS, HALF_LIVES } from './aggregate.js';
export type { Aggregates, DecayedSum, HalfLife } from './aggregate.js';
export { featureVector, features, RECENCY_CAP_DAYS } from './vector.js';
export { normalise, MIN_STD } from './normalise.js';
export type { Normalisation } from './normalise.js';
export {
  lgamma,
  hyp2f1,
  pAlive,
  bgnbdExpected,
  bgnbdUnconditional,
  ggExpectedSpend,
  summaryFromVector,
  bgnbdPrior,
} from './bgnbd.js';
export type { BgnbdParams, GammaGammaParams, RfSummary } from './bgnbd.js';
export { forecast, forward, graphProblem, weightBytes, weightTensors } from './forward.js';
export type { Forecast, HeadOutputs, Tensor } from './forward.js';
export { modelProblem } from './model-check.js';
