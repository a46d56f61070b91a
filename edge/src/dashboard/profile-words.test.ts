import { describe, expect, it } from 'vitest';
import type { SegmentProfile } from '../stats/profiles.js';
import { churnLevel, profileWords } from './profile-words.js';

const profile = (over: Partial<SegmentProfile> = {}): SegmentProfile => ({
  name: 'loyal',
  shoppers: 10,
  share: 0.5,
  typical: { orders: 3, spend: 84.4, recencyDays: 12.4, buyers: 1 },
  predicted: { spend: 41.26, churnRisk: 0.234, shoppers: 10 },
  tiers: { mid: 3, high: 5, low: 2 },
  ...over,
});

describe('profileWords', () => {
  it('says what a typical shopper did, the predictions and the tier mix', () => {
    expect(profileWords(profile(), 90)).toEqual({
      typical: 'Typically 3 orders and $84 spent, last order 12 days ago.',
      predicted: 'On average: predicted to spend $41 each over the next 90 days; churn risk 23% (low).',
      tiers: 'Value tiers: high 50%, mid 30%, low 20%.',
    });
  });

  it('handles singulars, small amounts, shoppers who never ordered and partial predictions', () => {
    const words = profileWords(
      profile({
        typical: { orders: 1, spend: 4.5, recencyDays: 1, buyers: 0.25 },
        predicted: { spend: null, churnRisk: 0.8, shoppers: 4 },
        tiers: {},
      }),
      null,
    );
    expect(words).toEqual({
      typical: 'Typically 1 order and $4.50 spent, last order 1 day ago (25% have ordered).',
      predicted: 'Across the 4 shoppers with predictions: churn risk 80% (high).',
      tiers: null,
    });
    expect(profileWords(profile({ typical: { orders: 0, spend: 0, recencyDays: null, buyers: 0 } }), 90).typical).toBe(
      'Typically 0 orders and $0 spent, nobody has ordered yet.',
    );
  });

  it('says when no predictions have arrived', () => {
    expect(profileWords(profile({ predicted: { spend: null, churnRisk: null, shoppers: 0 } }), 90).predicted).toMatch(
      /^No predictions synced yet/,
    );
  });
});

describe('churnLevel', () => {
  it.each([
    [0, 'low'],
    [0.29, 'low'],
    [0.3, 'moderate'],
    [0.59, 'moderate'],
    [0.6, 'high'],
    [1, 'high'],
  ] as const)('%s → %s', (risk, level) => {
    expect(churnLevel(risk)).toBe(level);
  });
});
