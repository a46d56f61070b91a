import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManifestSchema } from '../contract/manifest.js';
import { normalise } from './normalise.js';
import { decodeModel, predict } from '../ml/predict.js';
import { FEATURE_NAMES, LIFETIME_FEATURE_NAMES } from '../contract/feature-spec.js';
import { testModel } from '../test-utils.js';
import { forecast, forward, graphColumns, graphProblem, intentOf, weightBytes, weightTensors } from './forward.js';

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

  it('gives the heads and the intent logit the trainer’s tfjs-layers model gives, on the shipped default model', () => {
    const tensors = weightTensors(manifest, buffer);
    // The trainer's model takes the trunk's inputs and the tower's, each normalised with its own statistics.
    const columns = graphColumns(manifest);
    const tower = manifest.graph.intent!;
    const inputs = [
      rows.map((r) => columns.trunk.map((j) => normalise(r, manifest.normalisation)[j]!)),
      rows.map((r) =>
        normalise(
          columns.intent.map((j) => r[j]!),
          tower.normalisation,
        ),
      ),
    ];
    const [seg, value, churn, logit] = tf.tidy(() =>
      (layers.predict(inputs.map((x) => tf.tensor2d(x))) as tf.Tensor[]).map((t) => t.arraySync() as number[][]),
    );
    expect(rows.length).toBeGreaterThan(10);
    rows.forEach((row, i) => {
      const heads = forward(manifest, tensors, row);
      close(heads.segmentProbs, seg![i]!);
      close([heads.value, heads.churn, heads.intentLogit!], [value![i]![0]!, churn![i]![0]!, logit![i]![0]!]);
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

describe('plain forward pass of a model with an intent tower', () => {
  const tower = {
    inputs: ['visit_product_views', 'visit_checkout', 'month_cos'],
    kernel: [0.8, 1.5, -0.4],
    bias: -3,
    range: [-1, 5] as [number, number],
    offsets: [{ feature: 'visit_cart_adds', perUnit: 1.2, cap: Math.LN2 }],
  };
  const m = testModel({ inputs: [...LIFETIME_FEATURE_NAMES], tower });
  const towerBuffer = m.weights.slice().buffer;
  // Plausible visits (an implausible one gets no intent), the last beyond the tower's clamp at 5 views.
  const visit = (values: Record<string, number>) => FEATURE_NAMES.map((n, i) => values[n] ?? (i % 3) * 0.3);
  const towerRows = [
    visit({}),
    visit({ visit_product_views: 2, visit_checkout: 1, month_cos: -0.5 }),
    visit({ visit_product_views: 1, visit_cart_adds: Math.log1p(3), month_cos: 1 }),
    visit({ visit_product_views: 7, visit_duration_seconds: Math.log1p(3600), visit_checkout: 1 }),
  ];

  it('gives the intent the browser’s tfjs predict() gives, prior offsets and clamping included', async () => {
    await tf.setBackend('cpu');
    const tensors = weightTensors(m.manifest, towerBuffer);
    const served = await predict(decodeModel(m.manifest, towerBuffer), towerRows);
    towerRows.forEach((row, i) => {
      const heads = forward(m.manifest, tensors, row);
      close(heads.segmentProbs, served[i]!.segmentProbs);
      close([intentOf(m.manifest, row, heads.intentLogit!)], [served[i]!.intent!]);
    });
    const plain = testModel();
    const noTower = weightTensors(plain.manifest, plain.weights.slice().buffer);
    expect(forward(plain.manifest, noTower, towerRows[0]!).intentLogit).toBeNull();
  });

  it('finds what the tower reads that the spec lacks, statistics of the wrong length, an output that is no logit', () => {
    const shapes = new Map(m.manifest.weights.specs.map((s) => [s.name, s.shape]));
    const graph = m.manifest.graph;
    const withTower = (intent: object) => ({
      ...m.manifest,
      graph: { ...graph, intent: { ...graph.intent!, ...intent } },
    });
    expect(graphProblem(m.manifest, shapes)).toBeNull();
    expect(graphProblem(withTower({ inputs: ['visit_pages', 'page_values', 'weekend'] }), shapes)).toMatch(
      /reads 'page_values'/,
    );
    expect(graphProblem(withTower({ offsets: [{ feature: 'bounce_rate', perUnit: 1 }] }), shapes)).toMatch(
      /reads 'bounce_rate'/,
    );
    const stats = graph.intent!.normalisation;
    expect(graphProblem(withTower({ normalisation: { ...stats, std: [1] } }), shapes)).toMatch(
      /intent normalisation.std has 1 values for 3 inputs/,
    );
    expect(
      graphProblem(withTower({ layers: [{ ...graph.intent!.layers[0]!, activation: 'sigmoid' }] }), shapes),
    ).toMatch(/one linear unit/);
    expect(graphProblem({ ...m.manifest, graph: { ...graph, inputs: ['orders', 'nope'] } }, shapes)).toMatch(
      /trunk reads 'nope'/,
    );
  });
});
