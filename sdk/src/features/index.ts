/** The one feature definition, shared by the SDK (serving) and the trainer (training). No DOM, no tfjs. */
export { applyEvent, emptyAggregates, addDecayed, decayedAt, DAY_MS, SESSION_GAP_MS, HALF_LIVES } from './aggregate.js';
export type { Aggregates, DecayedSum, HalfLife } from './aggregate.js';
export { featureVector, features, RECENCY_CAP_DAYS } from './vector.js';
