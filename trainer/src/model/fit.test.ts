import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { serialiseModel, sha256 } from '../publish/index.js';
import { useWasm } from './backend.js';
import { balancedWeights, fitModel } from './fit.js';
import { createModel } from './network.js';
import { syntheticSet } from './test-utils.js';

async function trainedHash(seed: number): Promise<string> {
  const { set } = syntheticSet(300, 1);
  const model = createModel(set.x[0]!.length, 3, seed);
  await fitModel(model, set, { nSegments: 3, seed, epochs: 3 });
  const { weights } = await serialiseModel(model);
  model.dispose();
  return sha256(weights);
}

describe('fitModel', () => {
  beforeAll(useWasm);

  it('gives bit-identical weights for the same seed, different ones for another', async () => {
    const a = await trainedHash(5);
    expect(await trainedHash(5)).toBe(a);
    expect(await trainedHash(6)).not.toBe(a);
  });

  it('weights classes inversely to their size', () => {
    expect(balancedWeights([0, 0, 0, 1], 2)).toEqual([4 / 6, 2]);
  });
});

describe('fitModel with window levels', () => {
  beforeAll(useWasm);

  it('learns each window its own level and leaves the served value bias at 0', async () => {
    const { set } = syntheticSet(600, 2);
    const rng = mulberry32(9);
    // Same customers' features, two windows whose levels differ by a factor e² ≈ 7.4 around the prior.
    const window = set.x.map((_, i) => i % 2);
    const poisson = (mean: number) => {
      const u = rng();
      let [n, p, cdf] = [0, Math.exp(-mean), Math.exp(-mean)];
      while (u > cdf && n < 1000) {
        n++;
        p *= mean / n;
        cdf += p;
      }
      return n;
    };
    const purchases = set.offset.map((o, i) => poisson(Math.exp(o + (window[i] === 0 ? -1 : 1))));
    const model = createModel(set.x[0]!.length, 3, 4);
    const fit = await fitModel(
      model,
      { ...set, purchases, window },
      { nSegments: 3, seed: 4, epochs: 30, learningRate: 0.03 },
    );
    const bias = model.getLayer('value').getWeights()[1]!.dataSync();
    model.dispose();
    expect([...bias]).toEqual([0]);
    expect(fit.windowLevels).toHaveLength(2);
    expect(fit.windowLevels[1]! - fit.windowLevels[0]!).toBeGreaterThan(1);
  });
});
