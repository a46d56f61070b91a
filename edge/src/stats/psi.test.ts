import { describe, expect, it } from 'vitest';
import { binOf, driftLevel, psi } from './psi.js';

describe('binOf', () => {
  const edges = [0, 1, 2, 4];
  it.each([
    [-5, 0],
    [0, 0],
    [0.99, 0],
    [1, 1],
    [3.9, 2],
    [4, 2],
    [100, 2],
  ])('%d → bin %d', (value, bin) => {
    expect(binOf(edges, value)).toBe(bin);
  });
});

describe('psi', () => {
  const reference = { edges: [0, 1, 2, 3], counts: [100, 100, 100] };

  it('is 0 when the sample has the reference shape', () => {
    expect(psi([0.5, 1.5, 2.5], reference)).toBeCloseTo(0, 12);
  });

  it('matches a hand computation for a shifted sample', () => {
    // shares: actual [0.5, 0.5, 0] (0 → 1e-4), expected 1/3 each
    const e = 1 / 3;
    const want = 2 * (0.5 - e) * Math.log(0.5 / e) + (1e-4 - e) * Math.log(1e-4 / e);
    expect(psi([0.1, 0.2, 1.1, 1.2], reference)).toBeCloseTo(want, 12);
  });

  it('grows with the shift', () => {
    const mild = psi([0.5, 1.5, 1.5, 2.5], reference)!;
    const strong = psi([2.5, 2.5, 2.5, 2.5], reference)!;
    expect(mild).toBeGreaterThan(0);
    expect(strong).toBeGreaterThan(mild);
  });

  it.each([
    ['no values', [], reference],
    ['an empty reference', [1], { edges: [0, 1], counts: [0] }],
    ['edges and counts that disagree', [1], { edges: [0, 1], counts: [1, 1] }],
  ])('is null for %s', (_, values, ref) => {
    expect(psi(values, ref)).toBeNull();
  });
});

describe('driftLevel', () => {
  it.each([
    [0, 'stable'],
    [0.1, 'moderate'],
    [0.25, 'significant'],
  ])('%d → %s', (index, level) => {
    expect(driftLevel(index)).toBe(level);
  });
});
