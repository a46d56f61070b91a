/**
 * Turns a trained model into the shipped files: model.json (tfjs-layers format, for tools and the reload
 * test), weights.bin (the one weights file), manifest.json (what the edge and the SDK trust), and segments.json.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { FEATURE_SPEC, MODEL_FORMAT, ManifestSchema, type ModelManifest } from '../../../sdk/src/contract/index.js';
import { TRUNK } from '../model/index.js';
import type { StoredSegments } from '../segments/index.js';

export interface Artifacts {
  modelJson: tf.io.ModelJSON;
  weights: Uint8Array;
  specs: tf.io.WeightsManifestEntry[];
}

/** @example sha256(new Uint8Array([1])) // '4bf5122f…' */
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Serialises a tfjs-layers model to model.json + a single weights buffer, in memory.
 * @example const { modelJson, weights } = await serialiseModel(model);
 */
export async function serialiseModel(model: tf.LayersModel): Promise<Artifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.weightSpecs || !artifacts.weightData || !artifacts.modelTopology)
    throw new Error('tfjs saved no weights');
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weights, specs: artifacts.weightSpecs };
}

export type ManifestInput = Pick<
  ModelManifest,
  'normalisation' | 'horizonDays' | 'segments' | 'valueTiers' | 'metrics' | 'training' | 'prior' | 'histograms'
> & {
  /** Defaults to `<dataset>-<first 8 hex of the weights' sha256>`, so identical training names itself identically. */
  version?: string;
  dataset: string;
  /** A timestamp taken from the data (the cutoff), not the clock, so the manifest reproduces byte for byte. */
  createdAt: number;
};

/**
 * Builds and validates the manifest for serialised weights; throws if it breaks ManifestSchema.
 * @example buildManifest(artifacts, { dataset: 'cdnow', createdAt: cutoff, ... }).version // 'cdnow-1a2b3c4d'
 */
export function buildManifest(artifacts: Artifacts, input: ManifestInput): ModelManifest {
  const hash = sha256(artifacts.weights);
  const dense = (name: string, activation: 'relu' | 'linear' | 'softmax' | 'sigmoid') => {
    const layer = { kernel: `${name}/kernel`, bias: `${name}/bias`, activation };
    for (const w of [layer.kernel, layer.bias]) {
      if (!artifacts.specs.some((s) => s.name === w)) throw new Error(`model.json has no weight named ${w}`);
    }
    return layer;
  };
  const manifest = {
    format: MODEL_FORMAT,
    version: input.version ?? `${input.dataset}-${hash.slice(0, 8)}`,
    createdAt: new Date(input.createdAt).toISOString(),
    featureSpec: { version: FEATURE_SPEC.version, hash: FEATURE_SPEC.hash, names: [...FEATURE_SPEC.names] },
    normalisation: input.normalisation,
    horizonDays: input.horizonDays,
    segments: input.segments,
    valueTiers: input.valueTiers,
    graph: {
      trunk: TRUNK.map(({ name }) => dense(name, 'relu')),
      // With a prior, the churn head is a logit correction (predict.ts adds the prior), not a probability.
      heads: {
        segment: dense('segment', 'softmax'),
        value: dense('value', 'linear'),
        churn: dense('churn', input.prior ? 'linear' : 'sigmoid'),
      },
    },
    weights: {
      file: 'weights.bin' as const,
      bytes: artifacts.weights.byteLength,
      sha256: hash,
      specs: artifacts.specs.map(({ name, shape, dtype }) => ({ name, shape, dtype: dtype as 'float32' })),
    },
    ...(input.histograms ? { histograms: input.histograms } : {}),
    ...(input.prior ? { prior: input.prior } : {}),
    metrics: input.metrics,
    training: input.training,
  };
  return v.parse(ManifestSchema, manifest);
}

/**
 * Writes model.json, weights.bin and manifest.json into `dir` (created if missing).
 * @example await writeModelDir('models/default', artifacts, manifest);
 */
export async function writeModelDir(dir: string, artifacts: Artifacts, manifest: ModelManifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify(artifacts.modelJson));
  await writeFile(join(dir, 'weights.bin'), artifacts.weights);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The export stage: serialises `model`, builds and checks its manifest, and writes the model directory plus
 * segments.json (the centroids a later training matches its segments to).
 * @example const manifest = await exportModel('models/default', cal.model, manifestInput(run), names.stored);
 */
export async function exportModel(
  dir: string,
  model: tf.LayersModel,
  input: ManifestInput,
  stored: StoredSegments,
): Promise<ModelManifest> {
  const artifacts = await serialiseModel(model);
  const manifest = buildManifest(artifacts, input);
  await writeModelDir(dir, artifacts, manifest);
  await writeFile(join(dir, 'segments.json'), `${JSON.stringify(stored, null, 2)}\n`);
  return manifest;
}
