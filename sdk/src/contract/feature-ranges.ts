import type { FeatureName, LIFETIME_FEATURE_NAMES, VISIT_FEATURE_NAMES } from './feature-spec.js';

/**
 * Plausible values per feature, in the units the vector carries (counts log1p-scaled, flags 0/1, the clock
 * raw). A lifetime feature's range is what an honest SDK can compute from events its own schema accepts
 * (counts up to 1e9, money up to 1e9 an order, a device clock anywhere since 1970), so the edge can refuse a
 * vector no shopper could have (1.7e308) without refusing a real one. A visit feature's range is what a person
 * does in one visit, far past any shopper: beyond it the SDK flags the visit as a bot and gives it no intent
 * (it never clips it into range, which would make a bot look maximally engaged), and the edge refuses it.
 * Kept beside the spec, not in it: the spec hash covers names and version only, so adding or widening a
 * range is no spec bump.
 */
export type FeatureRange = readonly [min: number, max: number];

// Math.log1p itself, not an alias: the bundler can then tell these are pure and drop what a bundle never reads.
const COUNT = [0, Math.log1p(1e9)] as const;
const SHARE = [0, 1] as const;
const upTo = (n: number): FeatureRange => [0, Math.log1p(n)];
const DAY_S = 86_400;
/** A visit's pages: about one every two seconds for a whole hour. */
const PAGES = upTo(2000);

const LIFETIME_RANGES: Record<(typeof LIFETIME_FEATURE_NAMES)[number], FeatureRange> = {
  recency_days: [0, Math.log1p(730)],
  orders: COUNT,
  // 1e9 orders of up to 1e9 each.
  revenue: [0, Math.log1p(1e18)],
  avg_order_value: COUNT,
  // A device clock can date the first event to 1970; a century covers it.
  tenure_days: [0, Math.log1p(36_525)],
  // A decayed count read at a clock earlier than its events grows instead of decaying: 2^40 leaves room for
  // a clock years behind without admitting an absurd value.
  orders_decayed_90d: [0, Math.log1p(1e9 * 2 ** 40)],
  order_trend: SHARE,
  sessions: COUNT,
  product_views: COUNT,
  cart_rate: SHARE,
  purchase_session_rate: SHARE,
  category_concentration: SHARE,
  cart_abandonment: SHARE,
  remove_rate: SHARE,
  searches: COUNT,
  // Seconds per session: a day of dwell per event, 1e9 events.
  dwell_per_session: [0, Math.log1p(86_400 * 1e9)],
};

/** The visit's ranges: what the SDK itself checks before it scores a visit (features/plausibility.ts). */
export const VISIT_FEATURE_RANGES: Record<(typeof VISIT_FEATURE_NAMES)[number], FeatureRange> = {
  visit_pages: PAGES,
  visit_product_views: PAGES,
  // The SDK's own caps on distinct products and categories per visit (features/visit.ts).
  visit_distinct_products: upTo(200),
  visit_categories: upTo(64),
  visit_cart_adds: upTo(500),
  visit_cart_removes: upTo(500),
  visit_checkout: SHARE,
  visit_searches: upTo(1000),
  visit_active_seconds: upTo(DAY_S),
  visit_duration_seconds: upTo(DAY_S),
  visit_pages_product: PAGES,
  visit_pages_listing: PAGES,
  visit_pages_search: PAGES,
  visit_pages_cart: PAGES,
  visit_pages_checkout: PAGES,
  visit_pages_content: PAGES,
  visit_pages_account: PAGES,
  returning: SHARE,
  // Longer than any shop has existed on the web.
  days_since_previous_visit: upTo(10_000),
  local_hour: [0, 23],
  local_weekday: [0, 6],
  weekend: SHARE,
  month_sin: [-1, 1],
  month_cos: [-1, 1],
};

export const FEATURE_RANGES: Record<FeatureName, FeatureRange> = { ...LIFETIME_RANGES, ...VISIT_FEATURE_RANGES };
