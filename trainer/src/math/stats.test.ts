import { describe, expect, it } from 'vitest';
import { auc, columnStats, quantile, rmse, spearman, withoutDuplicates } from './stats.js';

describe('stats', () => {
  it('computes the textbook values', () => {
    expect(
      columnStats([
        [1, 5],
        [3, 5],
      ]),
    ).toEqual({ mean: [2, 5], std: [1, 0], min: [1, 5], max: [3, 5] });
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 1, 0, 0], [1, 0, 1, 0])).toBe(0.5);
    expect(rmse([1, 2], [1, 4])).toBeCloseTo(Math.SQRT2);
    expect(spearman([1, 2, 3], [10, 20, 15])).toBeCloseTo(0.5);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  it('switches off a column that only repeats another', () => {
    const rows = [
      [0, 0, 1],
      [2, 2, 5],
    ];
    expect(withoutDuplicates(columnStats(rows), rows)).toMatchObject({
      mean: [1, 1, 3],
      std: [1, 0, 2],
      duplicates: [1],
    });
  });
});
