import { describe, expect, it } from 'vitest';
import { toEvent } from './validate.js';

const product = { productId: 'p1', category: 'jazz', price: 12.5 };

describe('toEvent', () => {
  it('accepts a well-formed call and stamps it', () => {
    expect(toEvent('add_to_cart', { ...product, quantity: 2 }, 42)).toEqual({
      ok: true,
      event: { type: 'add_to_cart', ts: 42, ...product, quantity: 2 },
    });
  });

  it.each([
    ['unknown event', 'teleport', {}, /unknown event/],
    ['non-string name', 7, {}, /must be a string/],
    ['props not an object', 'product_view', 'p1', /props must be an object/],
    ['NaN price', 'product_view', { ...product, price: Number.NaN }, /invalid price/],
    ['negative quantity', 'add_to_cart', { ...product, quantity: -1 }, /invalid quantity/],
    ['oversized id', 'product_view', { ...product, productId: 'x'.repeat(129) }, /invalid productId/],
    ['unexpected key', 'product_view', { ...product, email: 'a@b.c' }, /invalid email/],
    ['bad currency', 'purchase', { orderId: 'o', total: 1, currency: 'usd', items: [] }, /invalid currency/],
  ])('rejects %s with a specific reason', (_, name, props, reason) => {
    const result = toEvent(name, props, 1);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('does not let props overwrite the type or timestamp', () => {
    expect(toEvent('page_view', { type: 'purchase', ts: 5 }, 9)).toEqual({
      ok: true,
      event: { type: 'page_view', ts: 9 },
    });
  });
});
