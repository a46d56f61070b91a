import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { DAY_MS, RECENCY_CAP_DAYS } from '../../../sdk/src/features/index.js';
import { median, summariseProfiles } from './profiles.js';
import type { ProfileStatsRow } from './profiles.js';

const now = Date.UTC(2026, 5, 1);

/** A stored row for a shopper with these raw aggregates, scaled the way the SDK's feature functions scale them. */
function row(
  segment: string | null,
  raw: { orders: number; revenue: number; recencyDays: number; sentDaysAgo?: number },
  predictions: Partial<ProfileStatsRow> = {},
): ProfileStatsRow {
  const features = FEATURE_NAMES.map(() => 0);
  features[FEATURE_NAMES.indexOf('orders')] = Math.log1p(raw.orders);
  features[FEATURE_NAMES.indexOf('revenue')] = Math.log1p(raw.revenue);
  features[FEATURE_NAMES.indexOf('recency_days')] = Math.log1p(raw.recencyDays);
  return {
    segment,
    features: JSON.stringify(features),
    sent_at: now - (raw.sentDaysAgo ?? 0) * DAY_MS,
    value_tier: null,
    churn_risk: null,
    predicted_spend: null,
    ...predictions,
  };
}

describe('median', () => {
  it.each([
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    [[5, 1, 3, 100], 4],
  ])('%j → %s', (values, want) => {
    expect(median(values)).toBe(want);
  });
});

describe('summariseProfiles', () => {
  it('describes each segment by medians, so one big spender does not move "typical"', () => {
    const rows = [
      row('loyal', { orders: 2, revenue: 40, recencyDays: 10 }),
      row('loyal', { orders: 3, revenue: 60, recencyDays: 20 }),
      row('loyal', { orders: 200, revenue: 90_000, recencyDays: 30 }),
    ];
    const [loyal] = summariseProfiles(rows, now);
    expect(loyal!.name).toBe('loyal');
    expect(loyal!.typical.orders).toBeCloseTo(3, 6);
    expect(loyal!.typical.spend).toBeCloseTo(60, 6);
    expect(loyal!.typical.recencyDays).toBeCloseTo(20, 6);
    expect(loyal!.typical.buyers).toBe(1);
  });

  it('ages recency from the snapshot to now, caps it, and leaves non-buyers out of it', () => {
    const rows = [
      row('new', { orders: 0, revenue: 0, recencyDays: RECENCY_CAP_DAYS }),
      row('new', { orders: 0, revenue: 0, recencyDays: RECENCY_CAP_DAYS }),
      row('new', { orders: 1, revenue: 25, recencyDays: 5, sentDaysAgo: 3 }),
      row('gone', { orders: 1, revenue: 10, recencyDays: RECENCY_CAP_DAYS - 1, sentDaysAgo: 30 }),
    ];
    const byName = Object.fromEntries(summariseProfiles(rows, now).map((s) => [s.name, s]));
    expect(byName.new!.typical).toMatchObject({ orders: 0, spend: 0, buyers: 1 / 3 });
    expect(byName.new!.typical.recencyDays).toBeCloseTo(8, 6);
    expect(byName.gone!.typical.recencyDays).toBe(RECENCY_CAP_DAYS);
    const nobody = summariseProfiles([row('new', { orders: 0, revenue: 0, recencyDays: RECENCY_CAP_DAYS })], now)[0]!;
    expect(nobody.typical).toMatchObject({ recencyDays: null, buyers: 0 });
  });

  it('averages predictions over the shoppers that sent them, and counts tiers', () => {
    const rows = [
      row(
        'loyal',
        { orders: 2, revenue: 40, recencyDays: 10 },
        { value_tier: 'high', churn_risk: 0.1, predicted_spend: 100 },
      ),
      row(
        'loyal',
        { orders: 2, revenue: 40, recencyDays: 10 },
        { value_tier: 'mid', churn_risk: 0.3, predicted_spend: 20 },
      ),
      row('loyal', { orders: 2, revenue: 40, recencyDays: 10 }, { value_tier: 'high' }),
      row('loyal', { orders: 2, revenue: 40, recencyDays: 10 }),
    ];
    const [loyal] = summariseProfiles(rows, now);
    expect(loyal!.predicted.spend).toBeCloseTo(60, 9);
    expect(loyal!.predicted.churnRisk).toBeCloseTo(0.2, 9);
    expect(loyal!.predicted.shoppers).toBe(2);
    expect(loyal!.tiers).toEqual({ high: 2, mid: 1 });
    const [bare] = summariseProfiles([row('loyal', { orders: 1, revenue: 1, recencyDays: 1 })], now);
    expect(bare!.predicted).toEqual({ spend: null, churnRisk: null, shoppers: 0 });
  });

  it('sizes segments, largest first, with shoppers before any model under "(none)"', () => {
    const rows = [
      row('a', { orders: 1, revenue: 1, recencyDays: 1 }),
      row(null, { orders: 0, revenue: 0, recencyDays: RECENCY_CAP_DAYS }),
      row('b', { orders: 1, revenue: 1, recencyDays: 1 }),
      row('b', { orders: 1, revenue: 1, recencyDays: 1 }),
    ];
    expect(summariseProfiles(rows, now).map((s) => [s.name, s.shoppers, s.share])).toEqual([
      ['b', 2, 0.5],
      ['(none)', 1, 0.25],
      ['a', 1, 0.25],
    ]);
    expect(summariseProfiles([], now)).toEqual([]);
  });
});
