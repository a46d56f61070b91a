import * as v from 'valibot';
import { MAX_INTEREST_SCORE, MAX_PREDICTED_SPEND, MAX_SYNC_PRODUCTS, SYNC_PAYLOAD_VERSION } from './sync-limits.js';

/**
 * What leaves the browser: one shopper's aggregate, never raw events. `batchId` makes delivery idempotent:
 * the edge stores a batch at most once however often it is retried.
 *
 * Compatibility: the edge accepts this version and the one before it (1: no `payloadVersion`, no `seq`). A
 * required field that is invalid refuses the sync; an optional one (what the model said, product interests)
 * that is invalid is dropped and counted, and the rest of the snapshot is stored.
 */
const uuid = v.pipe(v.string(), v.uuid());
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
const time = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

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

/**
 * The first product id named twice, or null. One shopper's interest in a product is one entry: a list that
 * repeats an id is not something the SDK builds, and counted per row it would let one shopper top a list.
 *
 * @example duplicateProductId([{ id: 'a' }, { id: 'a' }]) // 'a'
 */
export function duplicateProductId(products: unknown): string | null {
  if (!Array.isArray(products)) return null;
  const seen = new Set<unknown>();
  for (const p of products) {
    const id = typeof p === 'object' && p !== null ? (p as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return null;
}

/** Fields a sync cannot do without: an invalid one refuses the whole snapshot (422). */
const required = {
  batchId: uuid,
  anonymousId: uuid,
  // Identity, not a prediction: a wrong one (an e-mail address, say) is refused rather than quietly dropped.
  userIdHash: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  specVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
  specHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/)),
  features: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(256)),
  counts: v.strictObject({ events: count, orders: count, productViews: count, addToCarts: count, sessions: count }),
  /** When the SDK built the snapshot (the device's clock, ms since epoch). */
  sentAt: time,
};

/**
 * Optional fields, each checked on its own: one the edge cannot accept is dropped (stored as NULL) and
 * counted, never a reason to refuse the snapshot.
 */
export const DROPPABLE_FIELDS = {
  modelVersion: v.pipe(v.string(), v.maxLength(64)),
  segment: v.pipe(v.string(), v.maxLength(32)),
  /** The model's outputs for this snapshot, so the dashboard can say what each segment is worth. */
  valueTier: v.pipe(v.string(), v.maxLength(32)),
  churnRisk: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1)),
  predictedSpend: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(MAX_PREDICTED_SPEND)),
  products: ProductInterestSchema,
};

export type DroppableField = keyof typeof DROPPABLE_FIELDS;

const optional = <E extends Record<string, v.GenericSchema>>(entries: E) =>
  Object.fromEntries(Object.entries(entries).map(([k, s]) => [k, v.optional(s)])) as {
    [K in keyof E]: v.OptionalSchema<E[K], undefined>;
  };
const present = <E extends Record<string, unknown>>(entries: E) =>
  Object.fromEntries(Object.keys(entries).map((k) => [k, v.optional(v.unknown())])) as {
    [K in keyof E]: v.OptionalSchema<v.UnknownSchema, undefined>;
  };

/** Refuses a payload that names a product twice, pointing at `products`. */
const uniqueProducts = <T extends { products?: unknown }>() =>
  v.forward<T, v.CheckIssue<T>, ['products']>(
    v.check<T, string>((p) => duplicateProductId(p.products) === null, 'Product ids must not repeat'),
    ['products'] as never,
  );

/** This version's own fields: the per-shopper order of its snapshots. */
const current = {
  payloadVersion: v.literal(SYNC_PAYLOAD_VERSION),
  /**
   * Orders one shopper's snapshots whatever the device's clock says: the number of events folded into the
   * aggregate, which only grows for an anonymous id, in every tab (they share the aggregate).
   */
  seq: time,
};

/** Version 1, as SDKs before `seq` send it. */
export const SyncPayloadV1Schema = v.pipe(
  v.strictObject({ ...required, ...optional(DROPPABLE_FIELDS) }),
  uniqueProducts(),
);

export const SyncPayloadSchema = v.pipe(
  v.strictObject({ ...current, ...required, ...optional(DROPPABLE_FIELDS) }),
  uniqueProducts(),
);

/**
 * The edge's first pass over a sync of each accepted version: required fields strictly, optional ones only
 * present or not (each is then checked against {@link DROPPABLE_FIELDS}), duplicate product ids refused.
 */
export const SYNC_INTAKE_SCHEMAS = {
  1: v.pipe(v.strictObject({ ...required, ...present(DROPPABLE_FIELDS) }), uniqueProducts()),
  [SYNC_PAYLOAD_VERSION]: v.pipe(
    v.strictObject({ ...current, ...required, ...present(DROPPABLE_FIELDS) }),
    uniqueProducts(),
  ),
} as const;

export type SyncPayload = v.InferOutput<typeof SyncPayloadSchema>;
export type SyncPayloadV1 = v.InferOutput<typeof SyncPayloadV1Schema>;
