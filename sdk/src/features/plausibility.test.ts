import { describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../contract/events.js';
import { FEATURE_NAMES } from '../contract/feature-spec.js';
import { applyEvent, emptyAggregates, featureVector, implausibleVisit } from './index.js';

const T0 = 1_700_000_000_000;
const replay = (events: ShoalEvent[]) => events.reduce(applyEvent, emptyAggregates());
const views = (n: number, everyMs: number): ShoalEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'product_view',
    ts: T0 + i * everyMs,
    productId: `p${i}`,
    category: 'jazz',
    price: 10,
  }));
const verdict = (events: ShoalEvent[], now = events.at(-1)!.ts + 1000) => {
  return implausibleVisit(featureVector(replay(events), now));
};

describe('implausibleVisit on behaviour', () => {
  it('passes a busy but human visit: 40 products in ten minutes, carts, checkout', () => {
    const events: ShoalEvent[] = [
      ...views(40, 15_000),
      { type: 'add_to_cart', ts: T0 + 600_000, productId: 'p1', category: 'jazz', price: 10, quantity: 2 },
      { type: 'begin_checkout', ts: T0 + 610_000, value: 20 },
    ];
    expect(verdict(events)).toBeNull();
  });

  it('flags hundreds of product views a minute as a bot', () => {
    expect(verdict(views(300, 150))).toEqual({ kind: 'bot', reason: '300 views in 45 s' });
  });

  it('flags page views at that rate too, however long the visit', () => {
    const pages: ShoalEvent[] = Array.from({ length: 1200 }, (_, i) => ({ type: 'page_view', ts: T0 + i * 500 }));
    expect(verdict(pages)?.kind).toBe('bot');
  });

  it('does not flag 59 quick views (the rate needs at least a minute’s worth)', () => {
    expect(verdict(views(59, 100))).toBeNull();
  });

  it('flags a visit that never pauses for 30 minutes across more than a day', () => {
    const pages: ShoalEvent[] = Array.from({ length: 100 }, (_, i) => ({
      type: 'page_view',
      ts: T0 + i * 20 * 60_000,
    }));
    expect(verdict(pages)).toEqual({ kind: 'bot', reason: 'visit without a 30-minute pause for over a day' });
  });

  it('flags visible time beyond a day in one visit (a broken integration sending dwell)', () => {
    const dwells: ShoalEvent[] = [0, 1, 2].map((i) => ({ type: 'dwell', ts: T0 + i * 1000, ms: 40_000_000 }));
    expect(verdict(dwells)).toEqual({ kind: 'bot', reason: 'visible for over a day in one visit' });
  });

  it('flags a count beyond its plausible range even at a human pace', () => {
    const searches: ShoalEvent[] = Array.from({ length: 1100 }, (_, i) => ({
      type: 'search',
      ts: T0 + i * 1500,
      query: 'x',
    }));
    expect(verdict(searches)).toEqual({ kind: 'bot', reason: 'visit_searches is 7, above 6.91' });
  });
});

describe('implausibleVisit on broken values, and on which visit', () => {
  it('flags NaN, infinite, negative and missing features as invalid, not as engagement', () => {
    const agg = replay(views(3, 10_000));
    const now = T0 + 30_000;
    const good = featureVector(agg, now);
    const at = FEATURE_NAMES.indexOf('visit_product_views');
    for (const [bad, shown] of [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [-1, '-1'],
    ] as const) {
      const vector = good.map((x, i) => (i === at ? bad : x));
      expect(implausibleVisit(vector)).toEqual({
        kind: 'invalid',
        reason: `visit_product_views is ${shown}`,
      });
    }
    expect(implausibleVisit(good.slice(0, -1))).toEqual({
      kind: 'invalid',
      reason: 'month_cos is missing',
    });
    expect(implausibleVisit(good)).toBeNull();
  });

  it('flags an aggregate a broken integration corrupted (negative counts read back from storage)', () => {
    const agg = replay(views(3, 10_000));
    const corrupted = { ...agg, visit: { ...agg.visit, cartAdds: -5 } };
    const now = T0 + 30_000;
    expect(implausibleVisit(featureVector(corrupted, now))).toEqual({
      kind: 'invalid',
      reason: 'visit_cart_adds is NaN',
    });
  });

  it('judges only the visit in progress: a bot visit is forgotten once a new visit starts', () => {
    const bot = views(300, 150);
    const later = T0 + 3_600_000;
    const next: ShoalEvent[] = [...bot, { type: 'page_view', ts: later }];
    expect(verdict(next, later + 1000)).toBeNull();
  });
});
