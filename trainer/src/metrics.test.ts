import { describe, expect, it } from 'vitest';
import { compareMetrics, gate } from './gate.js';
import { hungarian, matchSegments } from './match.js';
import { adjustedRand, agreement, bestScaledByGroup, logLoss, tertiles, topDecileLift, varianceExplained } from './metrics.js';

describe('metrics', () => {
  it('scores classifiers', () => {
    const a = agreement([0, 1, 1], [0, 1, 0], 2);
    expect(a.accuracy).toBeCloseTo(2 / 3, 12);
    expect(a.macroF1).toBeCloseTo(2 / 3, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
    expect(logLoss([0.5], [1])).toBeCloseTo(Math.log(2), 12);
  });

  it('scores groupings and rankings', () => {
    expect(varianceExplained([1, 1, 5, 5], [0, 0, 1, 1])).toBe(1);
    expect(varianceExplained([1, 5, 1, 5], [0, 0, 1, 1])).toBe(0);
    expect(adjustedRand([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRand([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1])).toBeLessThan(0);
    expect(tertiles([1, 2, 3, 4, 5, 6])).toEqual([0, 0, 1, 1, 2, 2]);
    const actual = Array.from({ length: 20 }, (_, i) => (i < 2 ? 10 : 0));
    expect(topDecileLift(actual, actual)).toBe(10);
  });

  it('scales each group by the factor with the least squared error, keeping its order within the group', () => {
    // Group 0: (1·2 + 3·6) / (1 + 9) = 2. Group 1: (1·0 + 1·2) / 2 = 1. Group 2 forecast 0: nothing to scale.
    expect(bestScaledByGroup([1, 3, 1, 1, 0], [2, 6, 0, 2, 4], [0, 0, 1, 1, 2])).toEqual([2, 6, 1, 1, 0]);
  });
});

describe('segment matching', () => {
  it('finds the cheapest assignment and handles unequal counts', () => {
    expect(hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]])).toEqual([1, 0, 2]);
    expect(matchSegments([[0, 0], [10, 10]], [[9, 9], [1, 1], [50, 50]])).toEqual([1, 0]);
    expect(matchSegments([[0, 0], [10, 10], [50, 50]], [[9, 9], [1, 1]])).toEqual([1, 0, null]);
  });
});

describe('quality gate', () => {
  const good = { purchases_rmse_ratio_bgnbd: 0.9, churn_auc_minus_bgnbd: 0.01 };
  const on = (metrics: Record<string, number>, dataset = 'CDNOW_master.txt') => ({ metrics, training: { format: 'cdnow', dataset } });
  it('passes a first model and a better one, refuses a worse one', () => {
    expect(gate(on(good), null).pass).toBe(true);
    expect(gate(on(good), on({ purchases_rmse_ratio_bgnbd: 0.95, churn_auc_minus_bgnbd: 0 })).pass).toBe(true);
    const worse = gate(on({ purchases_rmse_ratio_bgnbd: 1.05, churn_auc_minus_bgnbd: -0.02 }), on(good));
    expect(worse.pass).toBe(false);
    expect(worse.reasons).toHaveLength(2);
    expect(compareMetrics({}, good).pass).toBe(false);
  });

  it('does not hold a model to the numbers of one trained on other data', () => {
    const other = gate(on({ purchases_rmse_ratio_bgnbd: 1.5 }, 'CDNOW_sample.txt'), on(good));
    expect(other).toEqual({ pass: true, reasons: ['not comparable: trained on cdnow:CDNOW_sample.txt, the current model on cdnow:CDNOW_master.txt'] });
  });
});
