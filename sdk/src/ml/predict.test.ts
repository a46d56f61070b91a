import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, LIFETIME_FEATURE_NAMES } from '../contract/feature-spec.js';
import { testModel } from '../test-utils.js';
import { decodeModel, ModelError, predict } from './predict.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A plausible vector (every feature 0.5) with some features set. */
const row = (values: Record<string, number>) => FEATURE_NAMES.map((n) => values[n] ?? 0.5);
const decode = (m: ReturnType<typeof testModel>) => decodeModel(m.manifest, m.weights.slice().buffer);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const tower = {
  inputs: ['visit_product_views', 'visit_checkout'],
  kernel: [0.8, 1.5],
  bias: -3,
  range: [0, 5] as [number, number],
  offsets: [{ feature: 'visit_cart_adds', perUnit: 1.2, cap: Math.LN2 }],
};

describe('predict with an intent tower', () => {
  it('scores intent in the same pass: clamp, linear logit, capped offset, sigmoid', async () => {
    const model = decode(testModel({ tower }));
    const rows = [
      row({ visit_product_views: 2, visit_checkout: 0, visit_cart_adds: 0 }),
      row({ visit_product_views: 2, visit_checkout: 1, visit_cart_adds: Math.log1p(3) }),
      row({
        visit_product_views: 7,
        visit_duration_seconds: Math.log1p(3600),
        visit_checkout: 1,
        visit_cart_adds: Math.LN2,
      }),
    ];
    const [a, b, c] = await predict(model, rows);
    expect(a!.intent).toBeCloseTo(sigmoid(0.8 * 2 - 3), 6);
    // Three cart adds raise the odds exactly as much as one: the offset is capped at ln 2 (one add).
    expect(b!.intent).toBeCloseTo(sigmoid(0.8 * 2 + 1.5 - 3 + 1.2 * Math.LN2), 6);
    // 7 (1,096 views in an hour) reads as 5, the top of the range the tower saw.
    expect(c!.intent).toBeCloseTo(sigmoid(0.8 * 5 + 1.5 - 3 + 1.2 * Math.LN2), 6);
    expect(a!.segmentProbs).toHaveLength(2);
  });

  it('leaves the customer heads as they were: the same outputs as the model without a tower', async () => {
    const rows = [row({}), row({ orders: 2, visit_checkout: 1 })];
    const withTower = await predict(decode(testModel({ tower })), rows);
    const without = await predict(decode(testModel()), rows);
    const heads = (ps: typeof without) => ps.map(({ intent: _, ...p }) => p);
    expect(heads(withTower)).toEqual(heads(without));
    expect(without.map((p) => p.intent)).toEqual([null, null]);
    expect(withTower.every((p) => typeof p.intent === 'number')).toBe(true);
  });

  it('feeds the trunk only its own inputs (graph.inputs): visit features cannot move the customer heads', async () => {
    const model = decode(testModel({ inputs: [...LIFETIME_FEATURE_NAMES] }));
    const [x, y] = await predict(model, [row({ visit_pages: 0 }), row({ visit_pages: 7, local_hour: 3 })]);
    expect(y!.segmentProbs).toEqual(x!.segmentProbs);
    const [z] = await predict(model, [row({ orders: 3 })]);
    expect(z!.segmentProbs).not.toEqual(x!.segmentProbs);
  });
});

describe('an intent tower at the edges: malformed models, implausible visits', () => {
  it('refuses a tower that reads a feature the spec lacks, mis-sized statistics or a non-logit output', () => {
    const refuse = (m: ReturnType<typeof testModel>, why: RegExp) => {
      expect(() => decode(m)).toThrow(ModelError);
      expect(() => decode(m)).toThrow(why);
    };
    refuse(testModel({ tower: { ...tower, inputs: ['visit_pages', 'page_values'] } }), /'page_values'/);
    refuse(testModel({ tower: { ...tower, offsets: [{ feature: 'bounce_rate', perUnit: 1 }] } }), /'bounce_rate'/);
    refuse(testModel({ inputs: ['orders', 'nope'] }), /'nope'/);
    const m = testModel({ tower });
    m.manifest.graph.intent!.normalisation.std.pop();
    refuse(m, /intent normalisation.std has 1 values for 2 inputs/);
    const sig = testModel({ tower });
    sig.manifest.graph.intent!.layers[0]!.activation = 'sigmoid';
    refuse(sig, /one linear unit/);
  });

  it('gives an implausible visit no intent, and says why, instead of scoring it clamped', async () => {
    const model = decode(testModel({ tower }));
    const bot = row({ visit_product_views: Math.log1p(300), visit_duration_seconds: Math.log1p(40) });
    const broken = row({ visit_checkout: Number.NaN });
    const [b, n, ok] = await predict(model, [bot, broken, row({})]);
    expect(b).toMatchObject({ intent: null, implausible: { kind: 'bot', reason: '300 views in 40 s' } });
    expect(n).toMatchObject({ intent: null, implausible: { kind: 'invalid', reason: 'visit_checkout is NaN' } });
    expect(ok).toMatchObject({ intent: expect.any(Number), implausible: null });
    // The customer heads still score the row: only intent depends on the visit being plausible.
    expect(b!.segmentProbs.every(Number.isFinite)).toBe(true);
  });

  it('refuses weights for a tower the manifest does not describe', () => {
    const m = testModel({ tower });
    delete m.manifest.graph.intent;
    expect(() => decode(m)).toThrow(/tensors the graph does not use/);
  });
});
