import * as v from 'valibot';
import { PAGE_TYPES } from './feature-spec.js';

/**
 * The behaviour the SDK records. One schema serves the browser (validating `track()` calls) and the
 * trainer (reading NDJSON exports), so an event accepted on one side is accepted on the other.
 */
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const money = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e9));
const category = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));
const quantity = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000));

export const LineItemSchema = v.strictObject({ productId: id, category, price: money, quantity });

const ev = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.strictObject({ type: v.literal(type), ts: timestamp, ...entries });

export const EventSchema = v.variant('type', [
  /** `pageType`, when the shop marks it, feeds the visit's pages and time by type. */
  ev('page_view', {
    path: v.optional(v.pipe(v.string(), v.maxLength(512))),
    pageType: v.optional(v.picklist(PAGE_TYPES)),
  }),
  ev('product_view', { productId: id, category, price: money }),
  ev('search', { query: v.pipe(v.string(), v.maxLength(256)) }),
  ev('add_to_cart', { productId: id, category, price: money, quantity }),
  ev('remove_from_cart', { productId: id, category, price: money, quantity }),
  ev('begin_checkout', { value: money }),
  ev('purchase', {
    orderId: id,
    total: money,
    currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
    items: v.pipe(v.array(LineItemSchema), v.maxLength(200)),
  }),
  /** Time the page was visible, recorded by the SDK itself when the page is hidden or left. */
  ev('dwell', { ms: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400_000)) }),
]);

export type ShoalEvent = v.InferOutput<typeof EventSchema>;
export type EventType = ShoalEvent['type'];
export type LineItem = v.InferOutput<typeof LineItemSchema>;
