import { describe, expect, it } from 'vitest';
import { type SegmentProfile, nameSegments, profileOf } from './naming.js';

const typical: SegmentProfile = { recencyDays: 90, orders: 1.5, revenue: 36, tenureDays: 150, trend: 0.1 };
const profiles: SegmentProfile[] = [
  { recencyDays: 15, orders: 6, revenue: 230, tenureDays: 170, trend: 0.6 },
  { recencyDays: 150, orders: 1, revenue: 17, tenureDays: 170, trend: 0 },
  { recencyDays: 160, orders: 1, revenue: 15, tenureDays: 165, trend: 0 },
  { recencyDays: 80, orders: 2.5, revenue: 70, tenureDays: 170, trend: 0.1 },
];

describe('nameSegments', () => {
  it('names from the profile, deterministically and uniquely', () => {
    const named = nameSegments(profiles, typical);
    expect(named.map((s) => s.name)).toEqual(['champions', 'hibernating', 'hibernating_2', 'at_risk']);
    expect(nameSegments(profiles, typical)).toEqual(named);
    expect(named.map((s) => s.id)).toEqual([0, 1, 2, 3]);
    for (const s of named) {
      expect(s.name).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
      expect(s.description.length).toBeLessThanOrEqual(200);
    }
    expect(named[0]!.description).toBe(
      'Frequent buyers who bought recently: typically 6.0 orders, $230 spent, last order 15 days ago, buying more lately.',
    );
  });

  it('reads centroids back in original units', () => {
    // Standardised 0 is the mean; +1 is one std above it, in log1p space for counts and money.
    const norm = {
      mean: [Math.log1p(90), Math.log1p(1), Math.log1p(40), 0, Math.log1p(100), 0, 0.2, 0, 0, 0, 1, 1],
      std: [1, 0.5, 1, 1, 1, 1, 0.1, 1, 1, 1, 0, 0],
      min: new Array(12).fill(0),
      max: new Array(12).fill(1e9),
    };
    const p = profileOf([0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 5, 5], norm);
    expect(p.recencyDays).toBeCloseTo(90);
    expect(p.orders).toBeCloseTo(Math.expm1(Math.log1p(1) + 1));
    expect(p.revenue).toBeCloseTo(40);
    expect(p.trend).toBeCloseTo(0.3);
  });
});
