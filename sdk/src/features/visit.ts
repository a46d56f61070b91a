import type { ShoalEvent } from '../contract/events.js';
import { fnv1a, PAGE_TYPES, type PageType } from '../contract/feature-spec.js';

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
  /** Visible time (dwell), in all and per page type in PAGE_TYPES order; page views per type likewise. */
  activeMs: number;
  typeMs: number[];
  typePages: number[];
  /** The type of the page last viewed: a dwell event measures that page, so its time goes to this type. */
  pageType: PageType | null;
}

/** Distinct products and categories a visit keeps; the counts saturate there (a bot is flagged by its rate). */
export const MAX_VISIT_PRODUCTS = 200;
export const MAX_VISIT_CATEGORIES = 64;

const zeros = () => PAGE_TYPES.map(() => 0);

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
    typeMs: zeros(),
    typePages: zeros(),
    pageType: null,
  };
}

const remember = (seen: string[], value: string, max: number) => {
  const h = fnv1a(value);
  return seen.includes(h) || seen.length >= max ? seen : [...seen, h];
};
const bump = (counts: number[], type: PageType, by: number) =>
  counts.map((c, i) => (PAGE_TYPES[i] === type ? c + by : c));

/** Folds one event into the visit it belongs to (the input is not mutated). */
export function foldVisit(visit: Visit, event: ShoalEvent): Visit {
  const v = { ...visit };
  switch (event.type) {
    case 'page_view':
      v.pages++;
      v.pageType = event.pageType ?? null;
      if (event.pageType) v.typePages = bump(v.typePages, event.pageType, 1);
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
      if (v.pageType) v.typeMs = bump(v.typeMs, v.pageType, event.ms);
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
