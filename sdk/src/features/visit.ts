import type { ShoalEvent } from '../contract/events.js';
import { fnv1a, PAGE_TYPES } from '../contract/feature-spec.js';

/**
 * What the visit in progress (the latest session) has done: the state behind the visit features and the
 * lifetime cart-abandonment count. Reset when a gap of SESSION_GAP_MS starts a new visit.
 */
export interface Visit {
  /** Time of the visit's first event; null before any event. */
  start: number | null;
  /** Time of the previous visit's last event; null on a first visit. */
  previousEnd: number | null;
  pages: number;
  productViews: number;
  /** FNV-1a hashes of the product ids and categories viewed: enough to count distinct ones, bounded. */
  products: string[];
  categories: string[];
  cartAdds: number;
  cartRemoves: number;
  searches: number;
  checkout: boolean;
  /** Something went into the cart, and something was bought (cart abandonment). */
  cart: boolean;
  purchase: boolean;
  /** Visible time (dwell events). */
  activeMs: number;
  /** Page views per page type, in PAGE_TYPES order. */
  typePages: number[];
}

/** Distinct products and categories a visit keeps; the counts saturate there (a bot is flagged by its rate). */
export const MAX_VISIT_PRODUCTS = 200;
export const MAX_VISIT_CATEGORIES = 64;

/** A visit starting at `start` (null: none yet), after a previous visit that ended at `previousEnd`. */
export function emptyVisit(start: number | null = null, previousEnd: number | null = null): Visit {
  return {
    start,
    previousEnd,
    pages: 0,
    productViews: 0,
    products: [],
    categories: [],
    cartAdds: 0,
    cartRemoves: 0,
    searches: 0,
    checkout: false,
    cart: false,
    purchase: false,
    activeMs: 0,
    typePages: PAGE_TYPES.map(() => 0),
  };
}

const remember = (seen: string[], value: string, max: number) => {
  const h = fnv1a(value);
  return seen.includes(h) || seen.length >= max ? seen : [...seen, h];
};

/** Folds one event into the visit it belongs to (the input is not mutated). */
export function foldVisit(visit: Visit, event: ShoalEvent): Visit {
  const v = { ...visit };
  switch (event.type) {
    case 'page_view':
      v.pages++;
      v.typePages = v.typePages.map((c, i) => (PAGE_TYPES[i] === event.pageType ? c + 1 : c));
      break;
    case 'product_view':
      v.productViews++;
      v.products = remember(v.products, event.productId, MAX_VISIT_PRODUCTS);
      v.categories = remember(v.categories, event.category, MAX_VISIT_CATEGORIES);
      break;
    case 'search':
      v.searches++;
      break;
    case 'add_to_cart':
      v.cartAdds++;
      v.cart = true;
      break;
    case 'remove_from_cart':
      v.cartRemoves++;
      break;
    case 'begin_checkout':
      v.checkout = true;
      break;
    case 'purchase':
      v.purchase = true;
      break;
    case 'dwell':
      v.activeMs += event.ms;
      break;
  }
  return v;
}

/**
 * A visit read back from storage, completed with what older SDKs did not store: their aggregate kept only
 * the session's cart and purchase flags (`session`), so the visit in progress restarts its counts.
 */
export function reviveVisit(stored: unknown, lastTs: number | null): Visit {
  const old = (stored ?? {}) as Partial<Visit>;
  return { ...emptyVisit(lastTs), ...old };
}
