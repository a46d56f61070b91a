import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { EventSchema } from '../contract/events.js';
import { FEATURE_NAMES, FEATURE_SPEC } from '../contract/feature-spec.js';
import {
  addDecayed,
  applyEvent,
  DAY_MS,
  decayedAt,
  emptyAggregates,
  featureVector,
  MAX_VISIT_PRODUCTS,
  reviveAggregates,
} from './index.js';
import cases from './cases.json' with { type: 'json' };

const replay = (events: unknown[]) => events.map((e) => v.parse(EventSchema, e)).reduce(applyEvent, emptyAggregates());

describe('feature vector (shared cases)', () => {
  it('covers every feature of the current spec', () => {
    expect(cases.specVersion).toBe(FEATURE_SPEC.version);
    for (const c of cases.cases) expect(Object.keys(c.expected)).toEqual([...FEATURE_NAMES]);
  });

  for (const c of cases.cases) {
    it(c.name, () => {
      const vector = featureVector(replay(c.events), c.now, (c as { utcOffsetMinutes?: number }).utcOffsetMinutes ?? 0);
      FEATURE_NAMES.forEach((name, i) => {
        expect(vector[i], name).toBeCloseTo((c.expected as Record<string, number>)[name]!, 10);
      });
    });
  }
});

describe('decayed sums', () => {
  it('give the same value whatever order observations arrive in', () => {
    const obs = [
      [3, 5 * DAY_MS],
      [1, 0],
      [2, 20 * DAY_MS],
      [4, 2 * DAY_MS],
    ] as const;
    const forward = obs.reduce((s, [x, t]) => addDecayed(s, x, t, 30), { value: 0, at: 0 });
    const backward = [...obs].reverse().reduce((s, [x, t]) => addDecayed(s, x, t, 30), { value: 0, at: 0 });
    const direct = obs.reduce((s, [x, t]) => s + x * 2 ** (-(40 * DAY_MS - t) / (30 * DAY_MS)), 0);
    expect(decayedAt(forward, 40 * DAY_MS, 30)).toBeCloseTo(direct, 12);
    expect(decayedAt(backward, 40 * DAY_MS, 30)).toBeCloseTo(direct, 12);
  });

  it('halve after one half-life', () => {
    expect(decayedAt({ value: 8, at: 0 }, 90 * DAY_MS, 90)).toBeCloseTo(4, 12);
  });
});

describe('applyEvent', () => {
  it('does not mutate its input', () => {
    const before = emptyAggregates();
    const snapshot = JSON.stringify(before);
    applyEvent(before, {
      type: 'purchase',
      ts: 1,
      orderId: 'o',
      total: 3,
      currency: 'USD',
      items: [{ productId: 'p', category: 'c', price: 3, quantity: 1 }],
    });
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('starts a new session only after 30 idle minutes', () => {
    const at = (min: number) => ({ type: 'page_view' as const, ts: min * 60_000 });
    const agg = [at(0), at(29), at(58), at(89)].reduce(applyEvent, emptyAggregates());
    expect(agg.sessions).toBe(2);
  });
});

describe('the visit', () => {
  const T0 = 1_700_000_000_000;
  const at = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);

  it('counts distinct products up to its cap, then saturates', () => {
    const agg = Array.from({ length: MAX_VISIT_PRODUCTS + 50 }, (_, i) => ({
      type: 'product_view' as const,
      ts: T0 + i * 5000,
      productId: `p${i}`,
      category: 'jazz',
      price: 1,
    })).reduce(applyEvent, emptyAggregates());
    const vector = featureVector(agg, agg.lastTs!);
    expect(vector[at('visit_distinct_products')]).toBeCloseTo(Math.log1p(MAX_VISIT_PRODUCTS), 12);
    expect(vector[at('visit_product_views')]).toBeCloseTo(Math.log1p(MAX_VISIT_PRODUCTS + 50), 12);
  });

  it('gives every visit feature 0 before the first event of a visit, and no NaN', () => {
    const vector = featureVector(emptyAggregates(), T0);
    expect(vector.every(Number.isFinite)).toBe(true);
    for (const name of FEATURE_NAMES.filter((n) => n.startsWith('visit_'))) expect(vector[at(name)], name).toBe(0);
  });
});

describe('reviveAggregates', () => {
  it('carries an aggregate stored by a spec-v2 SDK over to v3: lifetime kept, session flags become the visit', () => {
    const T0 = 1_700_000_000_000;
    const events = [
      { type: 'product_view', ts: T0, productId: 'a', category: 'jazz', price: 10 },
      { type: 'add_to_cart', ts: T0 + 1000, productId: 'a', category: 'jazz', price: 10, quantity: 1 },
    ] as const;
    const current = events.reduce(applyEvent, emptyAggregates());
    // What an older SDK stored: no visit, the session's flags under `session`.
    const { visit: _, ...rest } = current;
    const stored = JSON.parse(JSON.stringify({ ...rest, session: { cart: true, purchase: false } }));
    const revived = reviveAggregates(stored);
    expect(revived.visit).toMatchObject({ cart: true, purchase: false, start: T0 + 1000, pages: 0 });
    expect('session' in revived).toBe(false);
    const vector = featureVector(revived, T0 + 2000);
    expect(vector.every(Number.isFinite)).toBe(true);
    expect(vector.slice(0, 16)).toEqual(featureVector(current, T0 + 2000).slice(0, 16));
    // The cart of the revived session is not counted a second time by its next add.
    const next = applyEvent(revived, { ...events[1], ts: T0 + 3000 });
    expect(next.cartSessions).toBe(1);
  });

  it('starts empty from anything that is not a stored aggregate', () => {
    for (const junk of [undefined, null, 'x', 3]) expect(reviveAggregates(junk)).toEqual(emptyAggregates());
  });
});
