import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, LIFETIME_FEATURE_NAMES } from '../contract/feature-spec.js';
import { testModel } from '../test-utils.js';
import { occlusion } from './explain.js';
import { decodeModel, predict } from './predict.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const row = (values: Record<string, number>) => FEATURE_NAMES.map((n) => values[n] ?? 0.5);

describe('occlusion', () => {
  const m = testModel({
    inputs: [...LIFETIME_FEATURE_NAMES],
    tower: {
      inputs: ['visit_product_views', 'visit_checkout'],
      kernel: [0.8, 1.5],
      bias: -3,
      offsets: [{ feature: 'visit_cart_adds', perUnit: 1.2, cap: Math.LN2 }],
    },
  });
  const model = decodeModel(m.manifest, m.weights.slice().buffer);

  it("explains intent by the tower's inputs at their mean and the prior's feature at 0, in points", async () => {
    const x = row({ visit_product_views: 2, visit_checkout: 1, visit_cart_adds: Math.LN2 });
    const probe = occlusion(m.manifest, x);
    const why = probe.read(await predict(model, probe.rows), 5).filter((e) => e.of === 'intent');
    const base = sigmoid(0.8 * 2 + 1.5 - 3 + 1.2 * Math.LN2);
    // Tower means are 0 in this model: occluding an input removes its term from the logit.
    const expected = {
      visit_checkout: base - sigmoid(0.8 * 2 - 3 + 1.2 * Math.LN2),
      visit_product_views: base - sigmoid(1.5 - 3 + 1.2 * Math.LN2),
      visit_cart_adds: base - sigmoid(0.8 * 2 + 1.5 - 3),
    };
    expect(why.map((e) => e.feature)).toEqual(['visit_product_views', 'visit_checkout', 'visit_cart_adds']);
    for (const e of why) expect(e.impact).toBeCloseTo(expected[e.feature as keyof typeof expected], 6);
  });

  it("explains the segment only by the trunk's own inputs", async () => {
    const probe = occlusion(m.manifest, row({}));
    const why = probe.read(await predict(model, probe.rows), 40).filter((e) => e.of === 'segment');
    expect(why.length).toBe(LIFETIME_FEATURE_NAMES.length);
    for (const e of why) expect(LIFETIME_FEATURE_NAMES).toContain(e.feature);
  });

  it('explains no intent for a visit that got none (implausible)', async () => {
    const probe = occlusion(m.manifest, row({ visit_checkout: Number.NaN }));
    const why = probe.read(await predict(model, probe.rows), 5);
    expect(why.filter((e) => e.of === 'intent')).toEqual([]);
  });
});
