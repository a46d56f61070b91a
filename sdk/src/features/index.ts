/** The one feature definition, shared by the SDK (serving) and the trainer (training). No DOM, no tfjs. */
export {
  applyEvent,
  emptyAggregates,
  reviveAggregates,
  addDecayed,
  decayedAt,
  DAY_MS,
  SESSION_GAP_MS,
  HALF_LIVES,
} from './aggregate.js';
export type { Aggregates, DecayedSum, HalfLife } from './aggregate.js';
export { emptyVisit, MAX_VISIT_PRODUCTS, MAX_VISIT_CATEGORIES } from './visit.js';
export type { Visit } from './visit.js';
export { featureVector, localFeatureVector, visitInProgress, RECENCY_CAP_DAYS } from './vector.js';
export { implausibleVisit } from './plausibility.js';
export type { Implausible } from './plausibility.js';
