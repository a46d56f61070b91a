import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from './backend.js';
import { createModel } from './network.js';
import { priorFor } from './prior.js';
import { score } from './score.js';
import { syntheticSet } from './test-utils.js';
import { anchorToPrior, foldHorizonSlope } from './value-head.js';

describe('anchorToPrior', () => {
  beforeAll(useWasm);

  it('shifts the value bias so the corrected total at the cutoff equals the prior total', async () => {
    const { raw, norm } = syntheticSet(200, 3);
    const model = createModel(raw[0]!.length, 3, 5);
    const head = model.getLayer('value');
    const [kernel, bias] = head.getWeights();
    // A non-trivial correction that inflates everyone: the anchor must take the inflation back out.
    head.setWeights([tf.randomUniform(kernel!.shape, 0, 0.3, 'float32', 1), bias!.add(0.5)]);
    const prior = {
      kind: 'bgnbd',
      unitDays: 7,
      bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
    } as const;
    const total = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
    const before = total(score(model, raw, norm, prior, 91).purchases);
    const expected = total(priorFor(raw, prior, 91).purchases);
    expect(before / expected).toBeGreaterThan(1.5);
    const shift = anchorToPrior(model, raw, norm, prior, 91);
    expect(shift).toBeLessThan(0);
    expect(total(score(model, raw, norm, prior, 91).purchases) / expected).toBeCloseTo(1, 5);
    expect(head.getWeights()[1]!.dataSync()[0]).toBeCloseTo(0.5 + shift, 5);
    model.dispose();
  });
});

describe('foldHorizonSlope', () => {
  beforeAll(useWasm);

  it('serves f + g · at as the one value head', () => {
    const { raw, norm } = syntheticSet(50, 3);
    const model = createModel(raw[0]!.length, 3, 5);
    const x = tf.tensor2d(raw.map((r) => r.map((v, j) => (v - norm.mean[j]!) / norm.std[j]!)));
    const trunk = tf.model({ inputs: model.inputs, outputs: model.getLayer('trunk_1').output as tf.SymbolicTensor });
    const slope = { kernel: Array.from({ length: 16 }, (_, i) => (i % 3) * 0.1 - 0.1), bias: 0.2 };
    const [f, g] = tf.tidy(() => [
      (model.predict(x) as tf.Tensor[])[1]!.dataSync(),
      (trunk.predict(x) as tf.Tensor)
        .matMul(tf.tensor2d(slope.kernel, [16, 1]))
        .add(slope.bias)
        .dataSync(),
    ]);
    expect(foldHorizonSlope(model, slope, -0.7)).toBe(-0.7);
    const served = tf.tidy(() => (model.predict(x) as tf.Tensor[])[1]!.dataSync());
    served.forEach((v, i) => {
      expect(v).toBeCloseTo(f![i]! - 0.7 * g![i]!, 5);
    });
    x.dispose();
    model.dispose();
  });
});
