import { describe, expect, it } from 'vitest';
import { normalise } from './normalise.js';

describe('normalise', () => {
  const stats = { mean: [10, 5, 0], std: [2, 0, 1], min: [4, 5, -3], max: [16, 5, 3] };

  it('standardises each feature', () => {
    expect(normalise([14, 5, -1], stats)).toEqual([2, 0, -1]);
  });

  it('maps a feature that never varied in training to 0', () => {
    expect(normalise([10, 1000, 0], stats)[1]).toBe(0);
  });

  it('clamps inputs to the range seen in training before standardising', () => {
    expect(normalise([100, 5, -50], stats)).toEqual([3, 0, -3]);
  });
});
