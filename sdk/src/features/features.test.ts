import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { EventSchema } from '../contract/events.js';
import { FEATURE_NAMES, FEATURE_SPEC } from '../contract/feature-spec.js';
import { addDecayed, applyEvent, DAY_MS, decayedAt, emptyAggregates, featureVector } from './index.js';
import cases from './cases.json' with { type: 'json' };

const replay = (events: unknown[]) => events.map((e) => v.parse(EventSchema, e)).reduce(applyEvent, emptyAggregates());

describe('feature vector (shared cases)', () => {
  it('covers every feature of the current spec', () => {
    expect(cases.specVersion).toBe(FEATURE_SPEC.version);
    for (const c of cases.cases) expect(Object.keys(c.expected)).toEqual([...FEATURE_NAMES]);
  });

  for (const c of cases.cases) {
    it(c.name, () => {
      const vector = featureVector(replay(c.events), c.now);
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
