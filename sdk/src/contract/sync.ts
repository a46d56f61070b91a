import * as v from 'valibot';
import { MAX_INTEREST_SCORE, MAX_PREDICTED_SPEND, MAX_SYNC_PRODUCTS } from './sync-limits.js';

/**
 * What leaves the browser: one shopper's aggregate, never raw events. `batchId` makes delivery idempotent:
 * the edge stores a batch at most once however often it is retried.
 */
const uuid = v.pipe(v.string(), v.uuid());
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));

/**
 * The shopper's strongest product interests as weighted counts (views, carts, purchased units), not a
 * sequence: no timestamps, no order ids, nothing to reconstruct a visit from. The edge only ever serves
 * them summed over many shoppers of a segment.
 */
const ProductInterestSchema = v.pipe(
  v.array(
    v.strictObject({
      id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
      score: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(MAX_INTEREST_SCORE)),
    }),
  ),
  v.maxLength(MAX_SYNC_PRODUCTS),
);

export const SyncPayloadSchema = v.strictObject({
  batchId: uuid,
  anonymousId: uuid,
  userIdHash: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  specVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
  specHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/)),
  features: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(256)),
  counts: v.strictObject({ events: count, orders: count, productViews: count, addToCarts: count, sessions: count }),
  modelVersion: v.optional(v.pipe(v.string(), v.maxLength(64))),
  segment: v.optional(v.pipe(v.string(), v.maxLength(32))),
  /** The model's outputs for this snapshot, so the dashboard can say what each segment is worth. */
  valueTier: v.optional(v.pipe(v.string(), v.maxLength(32))),
  churnRisk: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1))),
  predictedSpend: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(MAX_PREDICTED_SPEND))),
  products: v.optional(ProductInterestSchema),
  sentAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export type SyncPayload = v.InferOutput<typeof SyncPayloadSchema>;
