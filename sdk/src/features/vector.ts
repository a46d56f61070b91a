import { FEATURE_NAMES, type FeatureName } from '../contract/feature-spec.js';
import { type Aggregates, DAY_MS, decayedAt, SESSION_GAP_MS, sessionAbandonedCart } from './aggregate.js';

/**
 * Feature functions: one per feature, pure, named as in the spec. Counts and money are log1p-scaled so
 * heavy tails do not dominate the normalised inputs.
 */

/** Recency is capped so "never bought" reads as "bought very long ago" rather than infinity. */
export const RECENCY_CAP_DAYS = 730;

const days = (ms: number) => Math.max(0, ms) / DAY_MS;
const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, a / b) : 0);

export const features: Record<FeatureName, (agg: Aggregates, now: number) => number> = {
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
 * The model's input: every feature, in spec order, seen from time `now`.
 * @example featureVector(agg, Date.now()) // → number[FEATURE_NAMES.length]
 */
export function featureVector(agg: Aggregates, now: number): number[] {
  return FEATURE_NAMES.map((name) => features[name](agg, now));
}
