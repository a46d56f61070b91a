import { LIFETIME_FEATURE_NAMES } from '../contract/feature-spec.js';
import { type Aggregates, DAY_MS, decayedAt, SESSION_GAP_MS, sessionAbandonedCart } from './aggregate.js';
import { emptyVisit } from './visit.js';

/**
 * Feature functions, pure: one per lifetime feature, named as in the spec, and one for the visit's. Counts and
 * money are log1p-scaled so heavy tails do not dominate the normalised inputs.
 */

/** Recency is capped so "never bought" reads as "bought very long ago" rather than infinity. */
export const RECENCY_CAP_DAYS = 730;

const days = (ms: number) => Math.max(0, ms) / DAY_MS;
const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, a / b) : 0);

const lifetime: Record<(typeof LIFETIME_FEATURE_NAMES)[number], (agg: Aggregates, now: number) => number> = {
  recency_days: (a, now) =>
    Math.log1p(a.lastPurchaseTs === null ? RECENCY_CAP_DAYS : Math.min(RECENCY_CAP_DAYS, days(now - a.lastPurchaseTs))),
  orders: (a) => Math.log1p(a.orders),
  revenue: (a) => Math.log1p(a.revenue),
  avg_order_value: (a) => Math.log1p(a.orders > 0 ? a.revenue / a.orders : 0),
  tenure_days: (a, now) => Math.log1p(a.firstTs === null ? 0 : days(now - a.firstTs)),
  orders_decayed_90d: (a, now) => Math.log1p(decayedAt(a.ordersDecayed[90], now, 90)),
  // Share of the long-memory order mass that is recent: near 1 for a shopper speeding up, near 0 for one fading.
  order_trend: (a, now) => ratio(decayedAt(a.ordersDecayed[30], now, 30), decayedAt(a.ordersDecayed[365], now, 365)),
  sessions: (a) => Math.log1p(a.sessions),
  product_views: (a) => Math.log1p(a.productViews),
  cart_rate: (a) => ratio(a.addToCarts, a.productViews),
  purchase_session_rate: (a) => ratio(a.orders, a.sessions),
  category_concentration: (a) => {
    const counts = Object.values(a.categories);
    const total = counts.reduce((s, c) => s + c, 0);
    return total > 0 ? Math.max(...counts) / total : 0;
  },
  // A session still open (last event under 30 minutes ago) has not abandoned its cart yet.
  cart_abandonment: (a, now) => {
    const openSessionOver = a.lastTs !== null && now - a.lastTs > SESSION_GAP_MS;
    return ratio(a.abandonedCarts + (openSessionOver && sessionAbandonedCart(a) ? 1 : 0), a.cartSessions);
  },
  remove_rate: (a) => ratio(a.removeFromCarts, a.addToCarts),
  searches: (a) => Math.log1p(a.searches),
  dwell_per_session: (a) => Math.log1p(a.sessions > 0 ? a.dwellMs / 1000 / a.sessions : 0),
};

/**
 * Whether a visit is in progress at `now`: the latest one, while its last event is under SESSION_GAP_MS old.
 * Before it (a new page's first event not folded in yet) every visit feature is 0.
 */
export const visitInProgress = (a: Aggregates, now: number) => a.lastTs !== null && now - a.lastTs <= SESSION_GAP_MS;

const NO_VISIT = emptyVisit();

/**
 * The visit features, in spec order (VISIT_FEATURE_NAMES; the shared cases check each by name). One function
 * rather than one per feature: every page loads this code, and the names alone would cost the core ~140 B gz.
 */
function visitFeatures(a: Aggregates, now: number, utcOffsetMinutes: number): number[] {
  const open = visitInProgress(a, now);
  const v = open ? a.visit : NO_VISIT;
  // The shopper's wall clock: `now` shifted by their UTC offset, then read in UTC (the same in every runtime).
  const clock = new Date(now + utcOffsetMinutes * 60_000);
  const weekday = (clock.getUTCDay() + 6) % 7;
  // The month on a circle, so December and January are neighbours and no month lies outside training's range.
  const month = (Math.PI / 6) * clock.getUTCMonth();
  // Before the visit's first event, the visit about to start is described: its predecessor is the latest one.
  const sincePrevious = open
    ? v.start === null || v.previousEnd === null
      ? 0
      : days(v.start - v.previousEnd)
    : a.lastTs === null
      ? 0
      : days(now - a.lastTs);
  return [
    // visit_pages, visit_product_views, visit_distinct_products, visit_categories, visit_cart_adds, visit_cart_removes
    ...[v.pages, v.productViews, v.products.length, v.categories.length, v.cartAdds, v.cartRemoves].map(Math.log1p),
    v.checkout ? 1 : 0, // visit_checkout
    Math.log1p(v.searches), // visit_searches
    Math.log1p(v.activeMs / 1000), // visit_active_seconds
    // visit_duration_seconds: first to last event, whatever the events (Google Analytics' session time)
    Math.log1p(open && v.start !== null ? Math.max(0, a.lastTs! - v.start) / 1000 : 0),
    ...v.typePages.map(Math.log1p), // visit_pages_<type>, in PAGE_TYPES order
    a.sessions > (open ? 1 : 0) ? 1 : 0, // returning
    Math.log1p(sincePrevious), // days_since_previous_visit
    clock.getUTCHours(), // local_hour
    weekday, // local_weekday, Monday 0
    weekday >= 5 ? 1 : 0, // weekend
    Math.sin(month), // month_sin
    Math.cos(month), // month_cos
  ];
}

/**
 * The feature vector as this runtime's clock reads local time: what the browser scores and syncs.
 * @example localFeatureVector(agg, Date.now())
 */
export const localFeatureVector = (agg: Aggregates, now: number) =>
  featureVector(agg, now, -new Date(now).getTimezoneOffset());

/**
 * The model's input: every feature, in spec order, seen from time `now` by a shopper whose clock is
 * `utcOffsetMinutes` ahead of UTC (the browser passes its own; replays without one read UTC).
 * @example featureVector(agg, Date.now(), -new Date().getTimezoneOffset()) // → number[FEATURE_NAMES.length]
 */
export function featureVector(agg: Aggregates, now: number, utcOffsetMinutes = 0): number[] {
  return [
    ...LIFETIME_FEATURE_NAMES.map((name) => lifetime[name](agg, now)),
    ...visitFeatures(agg, now, utcOffsetMinutes),
  ];
}
