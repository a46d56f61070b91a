import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../sdk/src/features/index.js';
import { useWasm } from './backend.js';
import { anchorToPrior, calibrate, foldHorizonSlope } from './calibrate.js';
import { serialiseModel, sha256 } from './export.js';
import { Histories, type History } from './load/index.js';
import { createModel } from './model.js';
import { priorFor } from './prior.js';
import { mulberry32 } from './math/index.js';
import { score } from './score.js';
import { syntheticSet } from './test-utils.js';

const START = Date.UTC(2020, 0, 1);
const CUTOFF = START + 200 * DAY_MS;

/** 400 seeded shoppers with Poisson-ish buying and dropout, spanning both sides of the cutoff. */
function shop(seed: number, future: (rng: () => number) => number): Map<string, History> {
  const rng = mulberry32(seed);
  // The future draws from its own stream, so changing it cannot shift the calibration data.
  const later = mulberry32(seed + 1000);
  const out = new Map<string, History>();
  for (let c = 0; c < 400; c++) {
    const h: History = { days: [], amounts: [] };
    let t = START + Math.floor(rng() * 60) * DAY_MS;
    const gap = 5 + rng() * 60;
    while (t <= CUTOFF && rng() > 0.05) {
      h.days.push(t);
      h.amounts.push(Math.round(10 + rng() * 90));
      t += Math.max(1, Math.round(gap * -Math.log(1 - rng()))) * DAY_MS;
    }
    for (let n = future(later); n > 0; n--) {
      h.days.push(CUTOFF + (1 + n * 3) * DAY_MS);
      h.amounts.push(1 + n);
    }
    if (h.days.length) out.set(String(c), h);
  }
  return out;
}

async function weightsHash(histories: Map<string, History>): Promise<{ hash: string; prior: unknown; k: number }> {
  const cal = await calibrate(
    Histories.from(histories),
    { start: START, cutoff: CUTOFF, horizonDays: 100, seed: 3, epochs: 3 },
    { log: () => {} },
  );
  const { weights } = await serialiseModel(cal.model);
  cal.model.dispose();
  return { hash: sha256(weights), prior: cal.prior, k: cal.segmentation.k };
}

describe('calibrate', () => {
  beforeAll(useWasm);

  it('cannot be influenced by any holdout transaction', async () => {
    const quiet = await weightsHash(shop(1, () => 0));
    // Same calibration data; wildly different futures (and customers first seen after the cutoff).
    const busy = shop(1, (rng) => Math.floor(rng() * 20));
    busy.set('newcomer', { days: [CUTOFF + DAY_MS], amounts: [1e6] });
    expect(await weightsHash(busy)).toEqual(quiet);
    // And the check has teeth: a change before the cutoff does move the model.
    const changed = shop(1, () => 0);
    changed.get('0')!.days.unshift(START - DAY_MS);
    changed.get('0')!.amounts.unshift(5000);
    expect((await weightsHash(changed)).hash).not.toBe(quiet.hash);
    // Three full calibrations: about 15 s alone, but twice that when the two cores are shared.
  }, 120_000);
});

describe('level backtest', () => {
  beforeAll(useWasm);

  it('scores BG/NBD fitted at each internal cutoff against the purchase-days its window really had', async () => {
    const data = shop(2, () => 0);
    const cal = await calibrate(
      Histories.from(data),
      { start: START, cutoff: CUTOFF, horizonDays: 100, seed: 3, epochs: 1 },
      { log: () => {} },
    );
    cal.model.dispose();
    expect(cal.levelBacktest.map((b) => b.cutoff)).toEqual(
      cal.cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    );
    cal.cutoffs.forEach((c, w) => {
      // Counted here from the raw histories: purchase-days in (c, cutoff] of customers already seen by c.
      const actual = [...data.values()]
        .filter((h) => h.days[0]! <= c)
        .reduce((n, h) => n + h.days.filter((d) => d > c && d <= CUTOFF).length, 0);
      const b = cal.levelBacktest[w]!;
      expect(b.actual).toBe(actual);
      expect(b.days).toBe((CUTOFF - c) / DAY_MS);
      expect(b.forecast).toBeGreaterThan(0);
      expect(b.error).toBeCloseTo(b.forecast / actual - 1, 9);
    });
  }, 60_000);
});

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
