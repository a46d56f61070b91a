import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManifestSchema } from '../contract/manifest.js';
import { normalise } from './normalise.js';
import { decodeModel, predict } from '../ml/predict.js';
import { forecast, forward, graphProblem, weightBytes, weightTensors } from './forward.js';

/** The shipped default model, as the edge serves it. */
const dir = new URL('../../../models/default/', import.meta.url);
const manifest = v.parse(ManifestSchema, JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')));
const file = readFileSync(new URL('weights.bin', dir));
const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
const modelJson = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')) as tf.io.ModelJSON;

/** Inputs across and beyond training: each bin's centre, the outer edges, and rows far outside (clamped). */
const rows = (() => {
  const hs = manifest.histograms!;
  const bins = Math.max(...hs.map((h) => h.counts.length));
  const centres = Array.from({ length: bins }, (_, b) =>
    hs.map(({ edges }) => (edges[Math.min(b, edges.length - 2)]! + edges[Math.min(b + 1, edges.length - 1)]!) / 2),
  );
  const { min, max } = manifest.normalisation;
  return [...centres, [...min], [...max], min.map((x) => x - 100), max.map((x, i) => x * 10 + i)];
})();

const close = (a: readonly number[], b: readonly number[], tol = 1e-5) => {
  expect(a).toHaveLength(b.length);
  a.forEach((x, i) => {
    expect(Math.abs(x - b[i]!), `${x} vs ${b[i]}`).toBeLessThan(tol);
  });
};

describe('plain forward pass of the manifest graph', () => {
  let layers: tf.LayersModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    layers = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0]!.weights,
        weightData: buffer,
      }),
    );
  });

  it('gives the heads the trainer’s tfjs-layers model gives, on the shipped default model', () => {
    const tensors = weightTensors(manifest, buffer);
    const [seg, value, churn] = tf.tidy(() =>
      (layers.predict(tf.tensor2d(rows.map((r) => normalise(r, manifest.normalisation)))) as tf.Tensor[]).map(
        (t) => t.arraySync() as number[][],
      ),
    );
    expect(rows.length).toBeGreaterThan(10);
    rows.forEach((row, i) => {
      const heads = forward(manifest, tensors, row);
      close(heads.segmentProbs, seg![i]!);
      close([heads.value, heads.churn], [value![i]![0]!, churn![i]![0]!]);
    });
  });

  it('with the prior, forecasts what the browser’s tfjs predict() forecasts', async () => {
    const tensors = weightTensors(manifest, buffer);
    const served = await predict(decodeModel(manifest, buffer), rows);
    rows.forEach((row, i) => {
      const heads = forward(manifest, tensors, row);
      const f = forecast(manifest, row, heads);
      close(heads.segmentProbs, served[i]!.segmentProbs);
      close([f.value, f.churn, f.purchases!], [served[i]!.value, served[i]!.churn, served[i]!.purchases!]);
    });
  });

  it('sizes weights.bin from the specs and finds where the graph stops chaining', () => {
    expect(weightBytes(manifest)).toBe(buffer.byteLength);
    const shapes = new Map(manifest.weights.specs.map((s) => [s.name, s.shape]));
    expect(graphProblem(manifest, shapes)).toBeNull();
    expect(graphProblem(manifest, new Map([...shapes, ['trunk_1/kernel', [31, 16]]]))).toMatch(
      /trunk_1\/kernel has shape \[31,16\], expected \[32, n\]/,
    );
    expect(graphProblem(manifest, new Map([...shapes, ['extra', [1]]]))).toMatch(/does not use/);
    const fewer = { ...manifest, segments: manifest.segments.slice(0, 2) };
    expect(graphProblem(fewer, shapes)).toMatch(/head sizes 3,1,1 do not match the manifest \(2, 1, 1\)/);
  });
});
