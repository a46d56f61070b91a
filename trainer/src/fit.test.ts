import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from './backend.js';
import { serialiseModel, sha256 } from './export.js';
import { balancedWeights, fitModel } from './fit.js';
import { createModel } from './model.js';
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
