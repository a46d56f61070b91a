import * as v from 'valibot';

/**
 * What leaves the browser: one shopper's aggregate, never raw events. `batchId` makes delivery idempotent:
 * the edge stores a batch at most once however often it is retried.
 */
const uuid = v.pipe(v.string(), v.uuid());
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));

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
  sentAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export type SyncPayload = v.InferOutput<typeof SyncPayloadSchema>;
