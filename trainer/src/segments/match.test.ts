import { describe, expect, it } from 'vitest';
import { hungarian, matchSegments } from './match.js';

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
