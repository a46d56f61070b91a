import type { ShoalEvent } from '../contract/events.js';
import { MAX_INTEREST_SCORE, MAX_SYNC_PRODUCTS } from '../contract/sync-limits.js';

/**
 * A shopper's product interest: a weighted count per product id, kept on the device beside the aggregate.
 * Stronger signals weigh more (a purchased unit says more than a view). Bounded: past MAX_TRACKED products the
 * weakest is forgotten, so a long-lived shopper's record stays a few kilobytes.
 */
export type ProductInterest = Record<string, number>;

const WEIGHT = { product_view: 1, add_to_cart: 3, purchase: 5 } as const;
const MAX_TRACKED = 64;

export const emptyInterest = (): ProductInterest => ({});

/** Folds one event in; events that name no product leave it unchanged (same object). */
export function foldInterest(interest: ProductInterest, event: ShoalEvent): ProductInterest {
  const add: [string, number][] =
    event.type === 'product_view'
      ? [[event.productId, WEIGHT.product_view]]
      : event.type === 'add_to_cart'
        ? [[event.productId, WEIGHT.add_to_cart * Math.min(event.quantity, 10)]]
        : event.type === 'purchase'
          ? event.items.map((i) => [i.productId, WEIGHT.purchase * Math.min(i.quantity, 10)])
          : [];
  if (add.length === 0) return interest;
  const next = { ...interest };
  for (const [id, w] of add) next[id] = (next[id] ?? 0) + w;
  const ids = Object.keys(next);
  if (ids.length > MAX_TRACKED) {
    // Ties go to the product seen earlier (insertion order), so eviction is deterministic.
    const keep = new Set(topProducts(next, MAX_TRACKED).map((p) => p.id));
    for (const id of ids) if (!keep.has(id)) delete next[id];
  }
  return next;
}

/** The strongest interests, strongest first: what a sync payload carries. */
export function topProducts(interest: ProductInterest, n = MAX_SYNC_PRODUCTS): { id: string; score: number }[] {
  return (
    Object.entries(interest)
      // Capped at the sync schema's ceiling so a lifetime of views never makes a payload invalid.
      .map(([id, score]) => ({ id, score: Math.min(score, MAX_INTEREST_SCORE) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, n)
  );
}
