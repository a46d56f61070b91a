import { describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../../sdk/src/contract/index.js';
import { DAY_MS } from '../../sdk/src/features/index.js';
import { buildFrame } from './frame.js';

const buy = (customer: string, day: number, total: number): ShoalEvent => ({
  type: 'purchase', ts: Date.UTC(1997, 0, 1) + day * DAY_MS, orderId: `${customer}-${day}`, total, currency: 'USD',
  items: [{ productId: 'cd', category: 'music', price: total, quantity: 1 }],
});
const T0 = Date.UTC(1997, 0, 1) + 100 * DAY_MS;

describe('buildFrame', () => {
  const past = new Map([
    ['a', [buy('a', 0, 10), buy('a', 60, 20), buy('a', 100, 5)]],
    ['b', [buy('b', 30, 15)]],
    ['late', [buy('late', 101, 99)]],
  ]);

  it('frames only customers known by t0 and computes the window targets', () => {
    const withFuture = new Map([...past, ['a', [...past.get('a')!, buy('a', 150, 40), buy('a', 191, 7), buy('a', 192, 1000)]]]);
    const frame = buildFrame(withFuture, T0, 91);
    expect(frame.customers).toEqual(['a', 'b']);
    // (t0, t0 + 91 days] holds day 150 and day 191, not day 192; day 100 itself is in the past.
    expect(frame.spend).toEqual([47, 0]);
    expect(frame.churn).toEqual([0, 1]);
    expect(frame.priorSpend).toEqual([25, 15]);
  });

  it('never lets an event after t0 change the training inputs', () => {
    const base = buildFrame(past, T0, 91);
    const rewritten = new Map([
      ['a', [...past.get('a')!, buy('a', 100.5, 500), buy('a', 300, 1)]],
      ['b', [...past.get('b')!, buy('b', 101, 9999)]],
      ['late', [buy('late', 101, 1)]],
      ['later', [buy('later', 150, 1)]],
    ]);
    const changed = buildFrame(rewritten, T0, 91);
    expect(changed.customers).toEqual(base.customers);
    expect(changed.x).toEqual(base.x);
    expect(changed.priorSpend).toEqual(base.priorSpend);
    expect(changed.spend).not.toEqual(base.spend);
  });
});
