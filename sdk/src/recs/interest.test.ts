import { describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../contract/events.js';
import { MAX_SYNC_PRODUCTS } from '../contract/sync-limits.js';
import { emptyInterest, foldInterest, topProducts } from './interest.js';

const view = (productId: string): ShoalEvent => ({ type: 'product_view', ts: 1, productId, category: 'c', price: 1 });

describe('product interest', () => {
  it('weighs purchases over carts over views, by quantity (capped at 10 units)', () => {
    const interest = (
      [
        view('a'),
        view('a'),
        { type: 'add_to_cart', ts: 2, productId: 'b', category: 'c', price: 1, quantity: 2 },
        {
          type: 'purchase',
          ts: 3,
          orderId: 'o',
          total: 1,
          currency: 'USD',
          items: [{ productId: 'c', category: 'c', price: 1, quantity: 50 }],
        },
        { type: 'search', ts: 4, query: 'q' },
      ] as ShoalEvent[]
    ).reduce(foldInterest, emptyInterest());
    expect(interest).toEqual({ a: 2, b: 6, c: 50 });
    expect(topProducts(interest).map((p) => p.id)).toEqual(['c', 'b', 'a']);
  });

  it('leaves the record unchanged for events that name no product', () => {
    const before = { a: 1 };
    expect(foldInterest(before, { type: 'search', ts: 1, query: 'q' } as ShoalEvent)).toBe(before);
  });

  it('stays bounded: the weakest interests are forgotten, strong ones kept', () => {
    let interest = foldInterest(emptyInterest(), {
      type: 'add_to_cart',
      ts: 1,
      productId: 'strong',
      category: 'c',
      price: 1,
      quantity: 5,
    } as ShoalEvent);
    for (let i = 0; i < 500; i++) interest = foldInterest(interest, view(`p${i}`));
    expect(Object.keys(interest).length).toBeLessThanOrEqual(64);
    expect(interest.strong).toBe(15);
    expect(topProducts(interest)).toHaveLength(MAX_SYNC_PRODUCTS);
  });
});
