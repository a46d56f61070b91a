/// <reference types="node" />
import { createHash } from 'node:crypto';
import { FEATURE_SPEC, MODEL_FORMAT } from '../../sdk/src/contract/index.js';
import type { ModelManifest } from '../../sdk/src/contract/index.js';

/** The three files of a publishable model, as the trainer writes them. */
export interface ModelFiles {
  manifest: ModelManifest;
  modelJson: { modelTopology: unknown; weightsManifest: unknown[] };
  weights: Uint8Array<ArrayBuffer>;
}

// The spec's features → trunk 4 relu → heads: segment (one per name) softmax, value 1 linear, churn 1 sigmoid.
const layers = (segments: number) =>
  [
    { name: 'trunk_0', inputs: FEATURE_SPEC.names.length, units: 4, activation: 'relu' },
    { name: 'segment', inputs: 4, units: segments, activation: 'softmax' },
    { name: 'value', inputs: 4, units: 1, activation: 'linear' },
    { name: 'churn', inputs: 4, units: 1, activation: 'sigmoid' },
  ] as const;

type Layer = ReturnType<typeof layers>[number];

const specsOf = (ls: readonly Layer[]) =>
  ls.flatMap((l) => [
    { name: `${l.name}/kernel`, shape: [l.inputs, l.units], dtype: 'float32' as const },
    { name: `${l.name}/bias`, shape: [l.units], dtype: 'float32' as const },
  ]);

const dense = (l: Layer) => ({
  kernel: `${l.name}/kernel`,
  bias: `${l.name}/bias`,
  activation: l.activation,
});

/** Segments and value tiers a fixture model defines, by name. */
export interface FixtureNames {
  segments?: string[];
  tiers?: string[];
}

/**
 * A tiny, valid model for publish tests: the manifest passes ManifestSchema with the real feature spec and
 * vouches for the weights (byte size and sha256). model.json carries the weights manifest but a stub
 * topology: the edge only checks its shape, and the SDK runs the manifest's graph, not model.json. Its
 * segments default to `browsers` and `loyal`, its tiers to `high` and `low`.
 *
 * @example
 * const files = buildFixtureModel('test-1', { segments: ['champions', 'at_risk'] });
 * files.manifest.segments.map((s) => s.name); // ['champions', 'at_risk']
 */
export function buildFixtureModel(
  version: string,
  { segments = ['browsers', 'loyal'], tiers = ['high', 'low'] }: FixtureNames = {},
): ModelFiles {
  const LAYERS = layers(segments.length);
  const SPECS = specsOf(LAYERS);
  const floats = SPECS.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const values = Float32Array.from({ length: floats }, (_, i) => Math.sin(i + 1) / 4);
  const weights = new Uint8Array(values.buffer);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version,
    createdAt: '2024-01-01T00:00:00.000Z',
    featureSpec: { version: FEATURE_SPEC.version, hash: FEATURE_SPEC.hash, names: [...FEATURE_SPEC.names] },
    normalisation: {
      mean: FEATURE_SPEC.names.map(() => 0),
      std: FEATURE_SPEC.names.map(() => 1),
      min: FEATURE_SPEC.names.map(() => -10),
      max: FEATURE_SPEC.names.map(() => 10),
    },
    horizonDays: 90,
    segments: segments.map((name, id) => ({ id, name, description: `Fixture segment ${name}` })),
    valueTiers: tiers.map((name, i) => ({ name, min: 100 * (tiers.length - 1 - i) })),
    graph: {
      trunk: [dense(LAYERS[0])],
      heads: { segment: dense(LAYERS[1]), value: dense(LAYERS[2]), churn: dense(LAYERS[3]) },
    },
    weights: {
      file: 'weights.bin',
      bytes: weights.byteLength,
      sha256: createHash('sha256').update(weights).digest('hex'),
      specs: SPECS,
    },
    metrics: { auc: 0.5 },
    training: { dataset: 'fixture' },
  };
  const modelJson = {
    modelTopology: { class_name: 'Functional', config: { name: 'shoal-fixture' } },
    weightsManifest: [{ paths: ['weights.bin'], weights: SPECS }],
  };
  return { manifest, modelJson, weights };
}

/**
 * The multipart body `POST /v1/models` takes: file parts `manifest`, `model` and `weights`.
 *
 * @example
 * await fetch(`${edge}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: publishForm(files) });
 */
export function publishForm(files: {
  manifest: unknown;
  modelJson: unknown;
  weights: Uint8Array<ArrayBuffer>;
}): FormData {
  const form = new FormData();
  form.append('manifest', new Blob([JSON.stringify(files.manifest)], { type: 'application/json' }), 'manifest.json');
  form.append('model', new Blob([JSON.stringify(files.modelJson)], { type: 'application/json' }), 'model.json');
  form.append('weights', new Blob([files.weights], { type: 'application/octet-stream' }), 'weights.bin');
  return form;
}
