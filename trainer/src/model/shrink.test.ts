import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { useWasm } from './backend.js';
import type { TrainingSet } from './fit.js';
import { SHRINK_GRID, crossFitShrinkage } from './shrink.js';

/** Knuth's Poisson draw: fine for the small rates here. */
function poisson(rate: number, rng: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

/** `n` customers, one row each, prior rate 0.5; `effect` scales how much feature 0 really moves the rate. */
function shop(n: number, effect: number, seed: number): { set: TrainingSet; half: (0 | 1)[] } {
  const rng = mulberry32(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rng() * 2 - 1));
  const purchases = x.map((r) => poisson(0.5 * Math.exp(effect * r[0]!), rng));
  const set: TrainingSet = {
    x,
    segment: x.map((r) => (r[1]! > 0 ? 1 : 0)),
    purchases,
    churn: purchases.map((p) => (p > 0 ? 0 : 1)),
    offset: x.map(() => Math.log(0.5)),
  };
  return { set, half: x.map((_, i) => (i % 2) as 0 | 1) };
}

describe('crossFitShrinkage', () => {
  beforeAll(useWasm);

  it('serves the whole correction when the features carry signal, and shrinks it when they carry only noise', async () => {
    const opts = { nSegments: 2, seed: 9, epochs: 80 };
    const signal = await crossFitShrinkage(shop(3000, 1.2, 1).set, shop(3000, 1.2, 1).half, opts);
    expect(signal.factor).toBe(1);
    expect(signal.deviance).toHaveLength(SHRINK_GRID.length);
    expect(signal.deviance[0]!).toBeGreaterThan(signal.deviance.at(-1)!);
    const noise = shop(600, 0, 2);
    const none = await crossFitShrinkage(noise.set, noise.half, opts);
    expect(none.factor).toBeLessThan(1);
    expect(none.deviance[0]!).toBeLessThan(none.deviance.at(-1)!);
  }, 120_000);

  it('serves the prior alone when a half is too small to fit and validate', async () => {
    const tiny = shop(12, 1.2, 3);
    expect(await crossFitShrinkage(tiny.set, tiny.half, { nSegments: 2, seed: 9, epochs: 5 })).toEqual({
      factor: 0,
      deviance: [],
    });
  });
});
