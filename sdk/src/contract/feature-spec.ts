/**
 * The feature vector's contract: names in order, a version, and a hash of both. Every sync and every model
 * manifest carries the hash, so a model trained on one definition is never fed vectors built by another.
 */

/** What a shopper's whole history on this device says (spec v2 was exactly these, in this order). */
export const LIFETIME_FEATURE_NAMES = [
  'recency_days',
  'orders',
  'revenue',
  'avg_order_value',
  'tenure_days',
  'orders_decayed_90d',
  'order_trend',
  'sessions',
  'product_views',
  'cart_rate',
  'purchase_session_rate',
  'category_concentration',
  'cart_abandonment',
  'remove_rate',
  'searches',
  'dwell_per_session',
] as const;

/**
 * The kinds of page a shop marks (`data-shoal-page` on `<html>` or `<body>`, or
 * `track('page_view', { pageType })`). `account` holds sign-in, registration and order-history pages.
 */
export const PAGE_TYPES = ['product', 'listing', 'search', 'cart', 'checkout', 'content', 'account'] as const;
export type PageType = (typeof PAGE_TYPES)[number];

/** What this visit (the session in progress) has done so far, and when it happens. */
export const VISIT_FEATURE_NAMES = [
  'visit_pages',
  'visit_product_views',
  'visit_distinct_products',
  'visit_categories',
  'visit_cart_adds',
  'visit_cart_removes',
  'visit_checkout',
  'visit_searches',
  'visit_active_seconds',
  'visit_duration_seconds',
  ...PAGE_TYPES.map((t) => `visit_pages_${t}` as const),
  'returning',
  'days_since_previous_visit',
  'local_hour',
  'local_weekday',
  'weekend',
  'month_sin',
  'month_cos',
] as const;

export const FEATURE_NAMES = [...LIFETIME_FEATURE_NAMES, ...VISIT_FEATURE_NAMES] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** v3: the visit features appended after the lifetime ones. */
export const FEATURE_SPEC_VERSION = 3;

/** FNV-1a, 32-bit: synchronous and identical in every runtime, which a hash check at load time needs. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface FeatureSpec {
  version: number;
  names: readonly string[];
  hash: string;
}

export const FEATURE_SPEC: FeatureSpec = {
  version: FEATURE_SPEC_VERSION,
  names: FEATURE_NAMES,
  hash: fnv1a(JSON.stringify({ version: FEATURE_SPEC_VERSION, names: FEATURE_NAMES })),
};
