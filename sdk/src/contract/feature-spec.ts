/**
 * The feature vector's contract: names in order, a version, and a hash of both. Every sync and every model
 * manifest carries the hash, so a model trained on one definition is never fed vectors built by another.
 */
export const FEATURE_NAMES = [
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

export type FeatureName = (typeof FEATURE_NAMES)[number];

export const FEATURE_SPEC_VERSION = 2;

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
