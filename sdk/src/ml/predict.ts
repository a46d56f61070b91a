import * as tf from '@tensorflow/tfjs-core';
import type { DenseLayer, ModelManifest } from '../contract/manifest.js';
import { forecast, graphProblem, weightBytes } from '../features/forward.js';
import { normalise } from '../features/normalise.js';

/**
 * The MLP's forward pass written with tfjs-core ops only, driven by the manifest's graph. It needs neither
 * tfjs-layers nor model.json in the browser, which keeps the ML chunk small; a parity test holds it to the
 * trainer's tfjs-layers model.
 */
export interface Prediction {
  segmentId: number;
  segment: string;
  segmentProbs: number[];
  /** Predicted log1p spend over the manifest's horizon. */
  value: number;
  /** Predicted purchase-days over the horizon; null for models without a prior (their value head is spend). */
  purchases: number | null;
  valueTier: string;
  churn: number;
}

export interface RunnableModel {
  manifest: ModelManifest;
  weights: tf.NamedTensorMap;
}

export class ModelError extends Error {
  constructor(
    readonly code: 'spec_mismatch' | 'weights_size' | 'weights_shape' | 'checksum',
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Decodes weights.bin against the manifest, refusing anything that does not fit the graph exactly. */
export function decodeModel(manifest: ModelManifest, buffer: ArrayBuffer): RunnableModel {
  const expected = weightBytes(manifest);
  if (buffer.byteLength !== expected || buffer.byteLength !== manifest.weights.bytes) {
    throw new ModelError('weights_size', `weights.bin has ${buffer.byteLength} bytes; manifest needs ${expected}`);
  }
  const problem = graphProblem(manifest, new Map(manifest.weights.specs.map((s) => [s.name, s.shape])));
  if (problem) throw new ModelError('weights_shape', problem);
  return { manifest, weights: tf.io.decodeWeights(buffer, manifest.weights.specs) };
}

function dense(x: tf.Tensor2D, layer: DenseLayer, w: tf.NamedTensorMap): tf.Tensor2D {
  const z = tf.add(tf.matMul(x, w[layer.kernel] as tf.Tensor2D), w[layer.bias] as tf.Tensor1D) as tf.Tensor2D;
  switch (layer.activation) {
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'softmax':
      return tf.softmax(z);
    case 'linear':
      return z;
  }
}

/** The tier for a predicted value: tiers run high → low, the first one reached wins, the last catches all. */
export function valueTier(manifest: ModelManifest, value: number): string {
  const tiers = manifest.valueTiers;
  return (tiers.find((t) => value >= t.min) ?? tiers[tiers.length - 1]!).name;
}

/**
 * Scores raw (unnormalised) feature vectors.
 * @example const [p] = await predict(model, [featureVector(agg, Date.now())]); p.segment // 'champions'
 */
export async function predict(model: RunnableModel, rows: number[][]): Promise<Prediction[]> {
  const { manifest, weights } = model;
  if (rows.some((r) => r.length !== manifest.featureSpec.names.length)) {
    throw new ModelError('spec_mismatch', `model expects ${manifest.featureSpec.names.length} features`);
  }
  const [probs, value, churn] = tf.tidy(() => {
    let h = tf.tensor2d(rows.map((r) => normalise(r, manifest.normalisation)));
    for (const layer of manifest.graph.trunk) h = dense(h, layer, weights);
    const { segment, value, churn } = manifest.graph.heads;
    return [dense(h, segment, weights), dense(h, value, weights), dense(h, churn, weights)];
  });
  const [p, v, c] = await Promise.all([probs.array(), value.data(), churn.data()]);
  tf.dispose([probs, value, churn]);
  return p.map((segmentProbs, i) => {
    const segmentId = segmentProbs.indexOf(Math.max(...segmentProbs));
    const heads = forecast(manifest, rows[i]!, { value: v[i]!, churn: c[i]! });
    return {
      segmentId,
      segment: manifest.segments[segmentId]?.name ?? 'unknown',
      segmentProbs,
      ...heads,
      valueTier: valueTier(manifest, heads.value),
    };
  });
}
