import { describe, expect, it } from 'vitest';
import { compareMetrics, gate } from './gate.js';
import { hungarian, matchSegments } from './match.js';
import {
  adjustedRand,
  agreement,
  byDecile,
  logLoss,
  scaledByGroupOutOfFold,
  tertiles,
  topDecileLift,
  varianceExplained,
} from './metrics.js';

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

  it('cuts forecasts into ten equal groups by rank, with mean forecast and mean outcome', () => {
    const predicted = Array.from({ length: 20 }, (_, i) => 19 - i);
    const deciles = byDecile(
      predicted,
      predicted.map((p) => 2 * p),
    );
    expect(deciles[0]).toEqual({ n: 2, predicted: 0.5, actual: 1 });
    expect(deciles[9]).toEqual({ n: 2, predicted: 18.5, actual: 37 });
    const uneven = byDecile(new Array(15).fill(1), new Array(15).fill(0));
    expect(uneven.reduce((s, d) => s + d.n, 0)).toBe(15);
    expect(Math.max(...uneven.map((d) => d.n)) - Math.min(...uneven.map((d) => d.n))).toBe(1);
  });

  it('scales each group by the factor fitted on the other folds, never on the row itself', () => {
    // Group 0: fold 0 sees fold 1's factor (0 / 2 = 0), fold 1 sees fold 0's (8 / 2 = 4); in-sample both would get 2.
    // Group 1 only in fold 0: nothing else to learn from, factor 1. Group 2: fold 0 gets 2·2 / 4 = 1, fold 1 gets 3 / 1 = 3.
    expect(
      scaledByGroupOutOfFold(
        [1, 1, 1, 1, 2, 1, 2],
        [4, 4, 0, 0, 7, 3, 2],
        [0, 0, 0, 0, 1, 2, 2],
        [0, 0, 1, 1, 0, 0, 1],
      ),
    ).toEqual([0, 0, 4, 4, 2, 1, 6]);
  });
});

describe('segment matching', () => {
  it('finds the cheapest assignment and handles unequal counts', () => {
    expect(
      hungarian([
        [4, 1, 3],
        [2, 0, 5],
        [3, 2, 2],
      ]),
    ).toEqual([1, 0, 2]);
    expect(
      matchSegments(
        [
          [0, 0],
          [10, 10],
        ],
        [
          [9, 9],
          [1, 1],
          [50, 50],
        ],
      ),
    ).toEqual([1, 0]);
    expect(
      matchSegments(
        [
          [0, 0],
          [10, 10],
          [50, 50],
        ],
        [
          [9, 9],
          [1, 1],
        ],
      ),
    ).toEqual([1, 0, null]);
  });
});

describe('quality gate', () => {
  const good = { purchases_rmse_ratio_bgnbd: 0.9, churn_auc_minus_bgnbd: 0.01 };
  const on = (metrics: Record<string, number>, dataset = 'CDNOW_master.txt') => ({
    metrics,
    training: { format: 'cdnow', dataset },
  });
  it('passes a first model and a better one, refuses a worse one', () => {
    expect(gate(on(good), null).pass).toBe(true);
    expect(gate(on(good), on({ purchases_rmse_ratio_bgnbd: 0.95, churn_auc_minus_bgnbd: 0 })).pass).toBe(true);
    const worse = gate(on({ purchases_rmse_ratio_bgnbd: 0.97, churn_auc_minus_bgnbd: 0 }), on(good));
    expect(worse.pass).toBe(false);
    expect(worse.reasons).toHaveLength(2);
    expect(compareMetrics({}, good).pass).toBe(false);
  });

  it('does not hold a model to the numbers of one trained on other data', () => {
    const other = gate(
      on({ purchases_rmse_ratio_bgnbd: 1.005, churn_auc_minus_bgnbd: -0.004 }, 'CDNOW_sample.txt'),
      on(good),
    );
    expect(other).toEqual({
      pass: true,
      reasons: ['not comparable: trained on cdnow:CDNOW_sample.txt, the current model on cdnow:CDNOW_master.txt'],
    });
  });

  it('refuses any model worse than the BG/NBD prior it corrects, first, comparable or not', () => {
    const worse = { purchases_rmse_ratio_bgnbd: 1.02, churn_auc_minus_bgnbd: 0.01 };
    expect(gate(on(worse), null)).toEqual({
      pass: false,
      reasons: ['RMSE / BG-NBD 1.020 on its own holdout: worse than the prior it corrects'],
    });
    expect(gate(on(worse, 'CDNOW_sample.txt'), on(good)).pass).toBe(false);
    expect(gate(on(worse), on({ purchases_rmse_ratio_bgnbd: 1.03, churn_auc_minus_bgnbd: 0 })).reasons).toHaveLength(1);
    const churn = gate(on({ purchases_rmse_ratio_bgnbd: 0.9, churn_auc_minus_bgnbd: -0.006 }), null);
    expect(churn).toEqual({
      pass: false,
      reasons: ['churn AUC − BG/NBD -0.0060 on its own holdout: worse than the prior it corrects'],
    });
  });
});
