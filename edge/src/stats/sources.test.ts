import { describe, expect, it } from 'vitest';
import { capWeights, MAX_SOURCE_SHARE, SOURCE_FLOOR, sourceWeight } from './sources.js';

describe('sourceWeight', () => {
  it('leaves a source within its floor or share alone', () => {
    expect(sourceWeight(SOURCE_FLOOR, SOURCE_FLOOR)).toBe(1);
    expect(sourceWeight(20, 100)).toBe(1);
  });

  it('counts a source over its share down to exactly that share of the sample', () => {
    const n = 300;
    const others = 100;
    const w = sourceWeight(n, n + others);
    expect((w * n) / (w * n + others)).toBeCloseTo(MAX_SOURCE_SHARE, 12);
  });

  it('never counts a lone source below the floor', () => {
    expect(sourceWeight(500, 500) * 500).toBeCloseTo(SOURCE_FLOOR, 12);
  });

  it('lists weights only for the sources that need one', () => {
    expect(
      Object.keys(
        capWeights([
          { key: 'a', n: 5, total: 400 },
          { key: 'b', n: 300, total: 400 },
        ]),
      ),
    ).toEqual(['b']);
  });
});
