import { describe, expect, it } from 'vitest';
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
