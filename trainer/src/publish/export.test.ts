import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import { decodeModel, predict } from '../../../sdk/src/ml/predict.js';
import { type Prior, createModel, fitModel, score, useWasm } from '../model/index.js';
import { syntheticSet } from '../model/test-utils.js';
import { buildManifest, serialiseModel, sha256, writeModelDir } from './export.js';

const PRIOR: Prior = {
  kind: 'bgnbd',
  unitDays: 7,
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};

/** Every output of a tfjs-layers model: segment probabilities, value, churn. */
function outputs(model: tf.LayersModel, xNorm: number[][]) {
  return tf.tidy(() => (model.predict(tf.tensor2d(xNorm)) as tf.Tensor[]).map((t) => t.arraySync() as number[][]));
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
    const model = createModel(raw[0]!.length, 3, 7);
    const untrained = outputs(model, set.x.slice(0, 1))[0]![0]!;
    await fitModel(model, set, { nSegments: 3, seed: 7, epochs: 2 });
    const artifacts = await serialiseModel(model);
    const manifest = buildManifest(artifacts, {
      dataset: 'test',
      createdAt: 0,
      normalisation: norm,
      horizonDays: 91,
      metrics: {},
      training: {},
      prior: PRIOR,
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

    const rows = raw.slice(0, 40);
    const [seg, value, churn] = outputs(
      model,
      rows.map((r) => normalise(r, norm)),
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
    const [seg2, value2, churn2] = outputs(
      reloaded,
      rows.map((r) => normalise(r, norm)),
    );
    const served = await predict(decodeModel(stored, buffer), rows);
    rows.forEach((_, i) => {
      expectClose(seg2![i]!, seg![i]!);
      expectClose([value2![i]![0]!, churn2![i]![0]!], [value![i]![0]!, churn![i]![0]!]);
      expectClose(served[i]!.segmentProbs, seg![i]!);
    });
    // The browser's forecasts (prior + heads) equal the trainer's, which the evaluation and tiers rely on.
    const trainer = score(model, rows, norm, PRIOR, 91);
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
});
