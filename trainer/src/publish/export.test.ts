import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_RANGES, ManifestSchema } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import { decodeModel, predict } from '../../../sdk/src/ml/predict.js';
import { type IntentResult, withIntentTower } from '../intent/index.js';
import { funnelPrior, offsetOf } from '../intent/prior.js';
import { fitTower, sigmoid, towerLogits } from '../intent/tower.js';
import { columnStats } from '../math/index.js';
import { type Prior, createModel, fitModel, score, useWasm } from '../model/index.js';
import { syntheticSet } from '../model/test-utils.js';
import { type Artifacts, type ManifestInput, buildManifest, serialiseModel, sha256, writeModelDir } from './export.js';

const PRIOR: Prior = {
  kind: 'bgnbd',
  unitDays: 7,
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};

/** Every output of a tfjs-layers model: segment probabilities, value, churn (and the intent logit). */
function outputs(model: tf.LayersModel, xNorm: number[][], towerNorm?: number[][]) {
  return tf.tidy(() =>
    (model.predict(towerNorm ? [tf.tensor2d(xNorm), tf.tensor2d(towerNorm)] : tf.tensor2d(xNorm)) as tf.Tensor[]).map(
      (t) => t.arraySync() as number[][],
    ),
  );
}

/** A manifest for test weights: the fields the round trip does not exercise are fixed. */
const testManifest = (
  artifacts: Artifacts,
  normalisation: ManifestInput['normalisation'],
  more: Partial<ManifestInput>,
) =>
  buildManifest(artifacts, {
    dataset: 'test',
    createdAt: 0,
    normalisation,
    horizonDays: 91,
    metrics: {},
    training: {},
    segments: ['a', 'b'].map((name, id) => ({ id, name, description: name })),
    valueTiers: [{ name: 'all', min: -1e9 }],
    ...more,
  });

const TOWER_INPUTS = ['visit_product_views', 'visit_duration_seconds', 'returning', 'visit_cart_adds'] as const;

/**
 * Spec-wide rows: the customer features of `raw`, then visit features that drive a seeded order label, so a
 * tower fitted on them has something to learn.
 */
function specRows(raw: number[][], seed: number) {
  let s = seed;
  const rng = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return raw.map((r) => {
    const row = [...r, ...new Array<number>(FEATURE_NAMES.length - r.length).fill(0)];
    row[FEATURE_NAMES.indexOf('visit_product_views')] = Math.log1p(Math.floor(rng() * 12));
    row[FEATURE_NAMES.indexOf('visit_duration_seconds')] = Math.log1p(rng() * 900);
    row[FEATURE_NAMES.indexOf('returning')] = rng() < 0.5 ? 1 : 0;
    row[FEATURE_NAMES.indexOf('visit_cart_adds')] = rng() < 0.2 ? Math.LN2 : 0;
    return row;
  });
}

const expectClose = (a: readonly number[], b: readonly number[]) =>
  a.forEach((x, i) => {
    expect(Math.abs(x - b[i]!)).toBeLessThan(1e-5);
  });

describe('export', () => {
  let dir = '';
  beforeAll(async () => {
    await useWasm();
    dir = await mkdtemp(join(tmpdir(), 'shoal-model-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips: trained model = reloaded model.json+weights.bin = the SDK forward pass', async () => {
    const { raw, norm, set } = syntheticSet(300, 1);
    const customer = createModel(raw[0]!.length, 3, 7);
    const untrained = outputs(customer, set.x.slice(0, 1))[0]![0]!;
    await fitModel(customer, set, { nSegments: 3, seed: 7, epochs: 2 });
    // The tower: fitted on three of its inputs; the cart add is the funnel prior's, as with UCI.
    const spec = specRows(raw, 3);
    const inputs = TOWER_INPUTS.slice(0, 3);
    const towerX = spec.map((r) => inputs.map((n) => r[FEATURE_NAMES.indexOf(n)]!));
    const ordered = towerX.map((r) => (r[0]! + r[1]! / 3 > 3 ? 1 : 0));
    const towerNorm = columnStats(towerX);
    const tower = await fitTower(
      towerX.map((r) => normalise(r, towerNorm)),
      ordered,
      { seed: 5, members: 2, units: 4, epochs: 3, monotone: [true, true, false] },
    );
    const prior = funnelPrior(0.1);
    const intent: IntentResult['manifest'] = {
      inputs: [...inputs],
      normalisation: towerNorm,
      layers: [
        { name: 'intent_0', activation: 'relu' },
        { name: 'intent', activation: 'linear' },
      ],
      offsets: prior.offsets.slice(0, 1),
    };
    const model = withIntentTower(customer, { tower, inputs: [...inputs] });
    const artifacts = await serialiseModel(model);
    const manifest = testManifest(artifacts, norm, {
      prior: PRIOR,
      intent,
      segments: ['a', 'b', 'c'].map((name, id) => ({ id, name, description: name })),
      valueTiers: [
        { name: 'high', min: 1 },
        { name: 'low', min: -1e9 },
      ],
    });
    await writeModelDir(dir, artifacts, manifest);

    const weights = await readFile(join(dir, 'weights.bin'));
    const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const stored = v.parse(ManifestSchema, JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    expect(stored.weights.sha256).toBe(sha256(weights));
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(stored.weights.specs).toEqual(modelJson.weightsManifest[0]!.weights);
    const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;

    // Inside every feature's plausible range: the SDK gives an implausible row no intent.
    const rows = raw.slice(0, 40).map((r) => r.map((x, j) => Math.min(FEATURE_RANGES[FEATURE_NAMES[j]!][1], x)));
    const towerRows = towerX.slice(0, 40).map((r) => normalise(r, towerNorm));
    const [seg, value, churn, logit] = outputs(
      model,
      rows.map((r) => normalise(r, norm)),
      towerRows,
    );
    // The comparison must cover trained weights, not the initialisation.
    expect(seg![0]).not.toEqual(untrained);
    const reloaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0]!.weights,
        weightData: buffer,
      }),
    );
    const [seg2, value2, churn2, logit2] = outputs(
      reloaded,
      rows.map((r) => normalise(r, norm)),
      towerRows,
    );
    const served = await predict(
      decodeModel(stored, buffer),
      spec.slice(0, 40).map((r, i) => [...rows[i]!, ...r.slice(rows[i]!.length)]),
    );
    // The tower's logit: tfjs-layers, reloaded, plain arithmetic (the evaluation's), and the browser's with the prior.
    const plain = towerLogits(tower, towerRows);
    const offsets = offsetOf(prior.offsets.slice(0, 1), FEATURE_NAMES, spec.slice(0, 40));
    expect(offsets.some((o) => o > 0.5) && offsets.some((o) => o === 0)).toBe(true);
    rows.forEach((_, i) => {
      expectClose(seg2![i]!, seg![i]!);
      expectClose([value2![i]![0]!, churn2![i]![0]!], [value![i]![0]!, churn![i]![0]!]);
      expectClose(served[i]!.segmentProbs, seg![i]!);
      expectClose([logit2![i]![0]!, plain[i]!], [logit![i]![0]!, logit![i]![0]!]);
      expectClose([served[i]!.intent!], [sigmoid(plain[i]! + offsets[i]!)]);
    });
    expect(new Set(plain.map((z) => z.toFixed(3))).size).toBeGreaterThan(5);
    // The browser's forecasts (prior + heads) equal the trainer's, which the evaluation and tiers rely on.
    const trainer = score(customer, rows, norm, PRIOR, 91);
    expect(served.map((p) => p.segmentId)).toEqual(trainer.segment);
    expectClose(
      served.map((p) => p.purchases!),
      trainer.purchases,
    );
    expectClose(
      served.map((p) => p.value),
      trainer.value,
    );
    expectClose(
      served.map((p) => p.churn),
      trainer.churn,
    );
    expect(trainer.purchases.some((p, i) => Math.abs(p - trainer.purchases[0]!) > 1e-3 && i > 0)).toBe(true);
    reloaded.dispose();
    model.dispose();
  });

  it('serves a model of this spec without a tower: the customer heads as before, intent null', async () => {
    const { raw, norm, set } = syntheticSet(200, 2);
    const model = createModel(raw[0]!.length, 2, 3);
    await fitModel(model, set, { nSegments: 2, seed: 3, epochs: 1 });
    const artifacts = await serialiseModel(model);
    const manifest = testManifest(artifacts, norm, {});
    expect(manifest.graph.intent).toBeUndefined();
    expect(manifest.normalisation.mean).toHaveLength(FEATURE_NAMES.length);
    const buffer = artifacts.weights.buffer.slice(0) as ArrayBuffer;
    const served = await predict(decodeModel(manifest, buffer), specRows(raw.slice(0, 5), 1));
    const [seg] = outputs(
      model,
      raw.slice(0, 5).map((r) => normalise(r, norm)),
    );
    served.forEach((p, i) => {
      expect(p.intent).toBeNull();
      expectClose(p.segmentProbs, seg![i]!);
    });
    model.dispose();
  });
});
