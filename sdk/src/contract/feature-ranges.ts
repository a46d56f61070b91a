import type { FeatureName } from './feature-spec.js';

/**
 * Plausible values per feature, in the units the vector carries (counts log1p-scaled, flags 0/1, clock raw).
 * Outside the spec hash on purpose: tightening a range is no spec change. The edge refuses a vector outside
 * them; the SDK flags such a visit as implausible and gives it no intent (it never clips it into range,
 * which would make a bot look maximally engaged). Bounds sit where no person goes, far below absurd.
 */
export type FeatureRange = readonly [min: number, max: number];

const upTo = (n: number): FeatureRange => [0, Math.log1p(n)];
const flag: FeatureRange = [0, 1];
const DAY_S = 86_400;
/** A visit's pages: about one every two seconds for a whole hour, far past any shopper. */
const PAGES = upTo(2000);

/**
 * Ranges of the visit features (spec v3); features without an entry must be finite and non-negative.
 * Built by a pure call so bundles that never read it (the SDK core) leave it out.
 */
export const FEATURE_RANGES: Partial<Record<FeatureName, FeatureRange>> = /* @__PURE__ */ (() => ({
  visit_pages: PAGES,
  visit_product_views: PAGES,
  // The SDK's own caps on distinct products and categories per visit (features/visit.ts).
  visit_distinct_products: upTo(200),
  visit_categories: upTo(64),
  visit_cart_adds: upTo(500),
  visit_cart_removes: upTo(500),
  visit_checkout: flag,
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
  returning: flag,
  // Longer than any shop has existed on the web.
  days_since_previous_visit: upTo(10_000),
  local_hour: [0, 23],
  local_weekday: [0, 6],
  weekend: flag,
  month_sin: [-1, 1],
  month_cos: [-1, 1],
}))();
