import type { ShoalEvent } from '../contract/events.js';
import { emptyVisit, foldVisit, reviveVisit, type Visit } from './visit.js';

/**
 * A shopper's running aggregate. `applyEvent` folds one event in with O(1) work, so the SDK never rescans
 * its log and the trainer can replay a purchase history through exactly the same code. Events must arrive
 * in time order (sessions are cut by gaps); the decayed sums alone would not care.
 */
export interface DecayedSum {
  /** Σ xᵢ · 2^(−(at − tᵢ)/halfLife), kept at reference time `at`: adding in any order gives the same sum. */
  value: number;
  at: number;
}

export interface Aggregates {
  firstTs: number | null;
  lastTs: number | null;
  lastPurchaseTs: number | null;
  events: number;
  sessions: number;
  pageViews: number;
  productViews: number;
  searches: number;
  addToCarts: number;
  removeFromCarts: number;
  checkouts: number;
  orders: number;
  revenue: number;
  ordersDecayed: Record<HalfLife, DecayedSum>;
  /** Visible time on pages, from the SDK's own dwell events. */
  dwellMs: number;
  /** Sessions with an add-to-cart, and those of them that ended without a purchase. */
  cartSessions: number;
  abandonedCarts: number;
  /** What the current (latest) session has done so far: the visit features, and abandonment when it ends. */
  visit: Visit;
  /** Interest per category (views count 1, purchased units count 1 each); capped at MAX_CATEGORIES keys. */
  categories: Record<string, number>;
}

export const DAY_MS = 86_400_000;
/** A gap longer than this starts a new session, as in most web analytics. */
export const SESSION_GAP_MS = 30 * 60_000;
export const HALF_LIVES = [30, 90, 365] as const;
export type HalfLife = (typeof HALF_LIVES)[number];
const MAX_CATEGORIES = 64;

/** A fresh aggregate for a shopper with no history. */
export function emptyAggregates(): Aggregates {
  const ordersDecayed = {} as Record<HalfLife, DecayedSum>;
  for (const h of HALF_LIVES) ordersDecayed[h] = { value: 0, at: 0 };
  return {
    firstTs: null,
    lastTs: null,
    lastPurchaseTs: null,
    events: 0,
    sessions: 0,
    pageViews: 0,
    productViews: 0,
    searches: 0,
    addToCarts: 0,
    removeFromCarts: 0,
    checkouts: 0,
    orders: 0,
    revenue: 0,
    ordersDecayed,
    dwellMs: 0,
    cartSessions: 0,
    abandonedCarts: 0,
    visit: emptyVisit(),
    categories: {},
  };
}

/**
 * An aggregate read back from storage, completed with the fields an older SDK did not store (the visit), so
 * a returning shopper's history carries over a spec change instead of turning into NaN features.
 */
export function reviveAggregates(stored: unknown): Aggregates {
  if (!stored || typeof stored !== 'object') return emptyAggregates();
  const old = stored as Partial<Aggregates> & { session?: unknown };
  const { session, ...rest } = old;
  return { ...emptyAggregates(), ...rest, visit: reviveVisit(old.visit ?? session, old.lastTs ?? null) };
}

/** Adds `x` observed at time `t` to a decayed sum; order-independent. */
export function addDecayed(sum: DecayedSum, x: number, t: number, halfLifeDays: number): DecayedSum {
  const h = halfLifeDays * DAY_MS;
  if (sum.value === 0) return { value: x, at: t };
  if (t >= sum.at) return { value: sum.value * 2 ** (-(t - sum.at) / h) + x, at: t };
  return { value: sum.value + x * 2 ** (-(sum.at - t) / h), at: sum.at };
}

/** Value of a decayed sum seen from time `now`. */
export function decayedAt(sum: DecayedSum, now: number, halfLifeDays: number): number {
  if (sum.value === 0) return 0;
  return sum.value * 2 ** (-(now - sum.at) / (halfLifeDays * DAY_MS));
}

function bumpCategory(categories: Record<string, number>, category: string, by: number): Record<string, number> {
  if (!(category in categories) && Object.keys(categories).length >= MAX_CATEGORIES) return categories;
  return { ...categories, [category]: (categories[category] ?? 0) + by };
}

/** Whether the latest session put something in the cart and bought nothing. */
export function sessionAbandonedCart(agg: Aggregates): boolean {
  return agg.visit.cart && !agg.visit.purchase;
}

/**
 * Folds one validated event into the aggregate and returns the new aggregate (the input is not mutated).
 * @example
 *   let agg = emptyAggregates();
 *   agg = applyEvent(agg, { type: 'page_view', ts: Date.now() });
 */
export function applyEvent(agg: Aggregates, event: ShoalEvent): Aggregates {
  const t = event.ts;
  const newSession = agg.lastTs === null || t - agg.lastTs > SESSION_GAP_MS;
  const next: Aggregates = {
    ...agg,
    firstTs: agg.firstTs === null ? t : Math.min(agg.firstTs, t),
    lastTs: agg.lastTs === null ? t : Math.max(agg.lastTs, t),
    events: agg.events + 1,
    sessions: agg.sessions + (newSession ? 1 : 0),
    abandonedCarts: agg.abandonedCarts + (newSession && sessionAbandonedCart(agg) ? 1 : 0),
  };
  const visit = newSession ? emptyVisit(t, agg.lastTs) : agg.visit;
  next.visit = foldVisit(visit, event);
  switch (event.type) {
    case 'page_view':
      next.pageViews++;
      break;
    case 'product_view':
      next.productViews++;
      next.categories = bumpCategory(next.categories, event.category, 1);
      break;
    case 'search':
      next.searches++;
      break;
    case 'add_to_cart':
      next.addToCarts++;
      if (!visit.cart) next.cartSessions++;
      break;
    case 'remove_from_cart':
      next.removeFromCarts++;
      break;
    case 'dwell':
      next.dwellMs += event.ms;
      break;
    case 'begin_checkout':
      next.checkouts++;
      break;
    case 'purchase': {
      next.orders++;
      next.revenue += event.total;
      next.lastPurchaseTs = agg.lastPurchaseTs === null ? t : Math.max(agg.lastPurchaseTs, t);
      const ordersDecayed = { ...agg.ordersDecayed };
      for (const h of HALF_LIVES) ordersDecayed[h] = addDecayed(agg.ordersDecayed[h], 1, t, h);
      next.ordersDecayed = ordersDecayed;
      for (const item of event.items) next.categories = bumpCategory(next.categories, item.category, item.quantity);
      break;
    }
  }
  return next;
}
