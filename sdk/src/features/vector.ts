import { FEATURE_NAMES, type FeatureName, type LIFETIME_FEATURE_NAMES, PAGE_TYPES } from '../contract/feature-spec.js';
import { type Aggregates, DAY_MS, decayedAt, SESSION_GAP_MS, sessionAbandonedCart } from './aggregate.js';
import { emptyVisit, type Visit } from './visit.js';

/**
 * Feature functions: one per feature, pure, named as in the spec. Counts and money are log1p-scaled so
 * heavy tails do not dominate the normalised inputs.
 */

/** Recency is capped so "never bought" reads as "bought very long ago" rather than infinity. */
export const RECENCY_CAP_DAYS = 730;

const days = (ms: number) => Math.max(0, ms) / DAY_MS;
const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, a / b) : 0);

type Lifetime = (typeof LIFETIME_FEATURE_NAMES)[number];
type Feature = (agg: Aggregates, now: number, utcOffsetMinutes: number) => number;

const lifetime: Record<Lifetime, Feature> = {
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
const visitOf = (a: Aggregates, now: number): Visit => (visitInProgress(a, now) ? a.visit : NO_VISIT);
const count =
  (read: (v: Visit) => number): Feature =>
  (a, now) =>
    Math.log1p(read(visitOf(a, now)));
/** The shopper's wall clock: `now` shifted by their UTC offset, then read in UTC (the same in every runtime). */
const local =
  (read: (d: Date) => number): Feature =>
  (_, now, offset) =>
    read(new Date(now + offset * 60_000));
const weekday = (d: Date) => (d.getUTCDay() + 6) % 7;

const visit: Record<Exclude<FeatureName, Lifetime>, Feature> = {
  visit_pages: count((v) => v.pages),
  visit_product_views: count((v) => v.productViews),
  visit_distinct_products: count((v) => v.products.length),
  visit_categories: count((v) => v.categories.length),
  visit_cart_adds: count((v) => v.cartAdds),
  visit_cart_removes: count((v) => v.cartRemoves),
  visit_checkout: (a, now) => (visitOf(a, now).checkout ? 1 : 0),
  visit_searches: count((v) => v.searches),
  visit_active_seconds: count((v) => v.activeMs / 1000),
  // First to last event, whatever the events (Google Analytics' session time, where the last page counts 0).
  visit_duration_seconds: (a, now) =>
    Math.log1p(visitInProgress(a, now) && a.visit.start !== null ? Math.max(0, a.lastTs! - a.visit.start) / 1000 : 0),
  ...(Object.fromEntries(PAGE_TYPES.map((t, i) => [`visit_pages_${t}`, count((v) => v.typePages[i] ?? 0)])) as Record<
    `visit_pages_${(typeof PAGE_TYPES)[number]}`,
    Feature
  >),
  // Before the visit's first event the visit about to start is described: its predecessor is the latest one.
  returning: (a, now) => (a.sessions > (visitInProgress(a, now) ? 1 : 0) ? 1 : 0),
  days_since_previous_visit: (a, now) => {
    if (!visitInProgress(a, now)) return Math.log1p(a.lastTs === null ? 0 : days(now - a.lastTs));
    const { start, previousEnd } = a.visit;
    return Math.log1p(start === null || previousEnd === null ? 0 : days(start - previousEnd));
  },
  local_hour: local((d) => d.getUTCHours()),
  local_weekday: local(weekday),
  weekend: local((d) => (weekday(d) >= 5 ? 1 : 0)),
  // The month on a circle, so December and January are neighbours and no month lies outside training's range.
  month_sin: local((d) => Math.sin((Math.PI / 6) * d.getUTCMonth())),
  month_cos: local((d) => Math.cos((Math.PI / 6) * d.getUTCMonth())),
};

export const features: Record<FeatureName, Feature> = { ...lifetime, ...visit };

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
  return FEATURE_NAMES.map((name) => features[name](agg, now, utcOffsetMinutes));
}
