import * as v from 'valibot';

/**
 * One shopper aggregate as the edge exports it to the trainer (NDJSON, one row per line). It is what the
 * SDK synced, never raw events: the trainer can learn from the feature vectors of shoppers it never saw buy.
 */
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ExportRowSchema = v.strictObject({
  anonymousId: v.pipe(v.string(), v.uuid()),
  userIdHash: v.nullish(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  specHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/)),
  features: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(256)),
  counts: v.strictObject({ events: count, orders: count, productViews: count, addToCarts: count, sessions: count }),
  segment: v.nullish(v.pipe(v.string(), v.maxLength(32))),
  modelVersion: v.nullish(v.pipe(v.string(), v.maxLength(64))),
  /** When the shopper's latest aggregate was computed (ms since epoch, the SDK's `sentAt`). */
  sentAt: count,
  /** When the edge last stored it (ms since epoch). */
  updatedAt: count,
});

export type ExportRow = v.InferOutput<typeof ExportRowSchema>;
