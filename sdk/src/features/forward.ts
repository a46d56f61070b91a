/**
 * The manifest's graph run in plain JavaScript: no tfjs, so the edge can run a model it is asked to publish
 * and the ML benchmark has a reference in the page. The browser's tfjs forward pass (sdk/src/ml/predict.ts)
 * is held to this one by a unit test; both read the same graph, normalisation and prior from the manifest.
 */
import type { DenseLayer, ModelManifest } from '../contract/manifest.js';
import { normalise } from './normalise.js';
import { bgnbdPrior } from './bgnbd.js';

/** One weight tensor: its shape and its values, row-major as weights.bin stores them. */
export interface Tensor {
  shape: readonly number[];
  data: Float32Array;
}

/** What the graph's three heads output for one row, before the prior (if any) is applied. */
export interface HeadOutputs {
  segmentProbs: number[];
  value: number;
  churn: number;
}

const FLOAT_BYTES = 4;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The bytes weights.bin must have for the manifest's weight specs (every spec is float32).
 *
 * @example weightBytes(manifest) === manifest.weights.bytes
 */
export function weightBytes(manifest: Pick<ModelManifest, 'weights'>): number {
  return manifest.weights.specs.reduce((n, s) => n + FLOAT_BYTES * size(s.shape), 0);
}

/**
 * Slices weights.bin into the manifest's named tensors, in spec order. The caller checks the byte count
 * first ({@link weightBytes}); a short buffer throws a RangeError here.
 *
 * @example const tensors = weightTensors(manifest, await (await fetch(url)).arrayBuffer());
 */
export function weightTensors(manifest: Pick<ModelManifest, 'weights'>, buffer: ArrayBuffer): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  let offset = 0;
  for (const spec of manifest.weights.specs) {
    const n = size(spec.shape);
    tensors.set(spec.name, { shape: spec.shape, data: new Float32Array(buffer, offset * FLOAT_BYTES, n) });
    offset += n;
  }
  return tensors;
}

/**
 * The first way the graph's layers fail to chain from the feature vector through the trunk into heads of
 * the manifest's sizes (segments, 1, 1), or null when they chain. Weights only the graph names are allowed.
 *
 * @example graphProblem(manifest, new Map(manifest.weights.specs.map((s) => [s.name, s.shape]))) // null
 */
export function graphProblem(manifest: ModelManifest, shapes: Map<string, readonly number[]>): string | null {
  const { trunk, heads } = manifest.graph;
  const layers = [...trunk, heads.segment, heads.value, heads.churn];
  // Every name the graph uses must exist (checked below), so equal counts mean nothing else is there.
  if (new Set(layers.flatMap((l) => [l.kernel, l.bias])).size !== shapes.size)
    return 'weights.bin holds tensors the graph does not use';
  const widths = [manifest.featureSpec.names.length];
  for (const [i, layer] of layers.entries()) {
    const inputs = widths[Math.min(i, trunk.length)]!;
    const kernel = shapes.get(layer.kernel);
    const bias = shapes.get(layer.bias);
    if (!kernel || !bias) return `weights for ${layer.kernel} / ${layer.bias} are missing`;
    const [rows, cols] = kernel;
    if (kernel.length !== 2 || rows !== inputs || cols === undefined || bias.length !== 1 || bias[0] !== cols)
      return `${layer.kernel} has shape [${kernel}], expected [${inputs}, n]`;
    widths.push(cols);
  }
  const out = widths.slice(trunk.length + 1);
  if (out[0] !== manifest.segments.length || out[1] !== 1 || out[2] !== 1)
    return `head sizes ${out} do not match the manifest (${manifest.segments.length}, 1, 1)`;
  return null;
}

function dense(x: readonly number[], layer: DenseLayer, tensors: Map<string, Tensor>): number[] {
  const kernel = tensors.get(layer.kernel)!;
  const bias = tensors.get(layer.bias)!.data;
  const n = x.length;
  const m = bias.length;
  const out = new Array<number>(m);
  for (let j = 0; j < m; j++) {
    let s = bias[j]!;
    for (let i = 0; i < n; i++) s += x[i]! * kernel.data[i * m + j]!;
    out[j] = s;
  }
  switch (layer.activation) {
    case 'relu':
      return out.map((v) => Math.max(0, v));
    case 'sigmoid':
      return out.map((v) => 1 / (1 + Math.exp(-v)));
    case 'softmax': {
      const top = Math.max(...out);
      const e = out.map((v) => Math.exp(v - top));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    }
    case 'linear':
      return out;
  }
}

/**
 * Runs one raw (unnormalised) feature vector through the manifest's graph: normalise, trunk, the three heads.
 * The tensors must chain ({@link graphProblem}).
 *
 * @example forward(manifest, weightTensors(manifest, buffer), featureVector(agg, Date.now())).segmentProbs
 */
export function forward(manifest: ModelManifest, tensors: Map<string, Tensor>, row: readonly number[]): HeadOutputs {
  let h = normalise(row, manifest.normalisation);
  for (const layer of manifest.graph.trunk) h = dense(h, layer, tensors);
  const { segment, value, churn } = manifest.graph.heads;
  return {
    segmentProbs: dense(h, segment, tensors),
    value: dense(h, value, tensors)[0]!,
    churn: dense(h, churn, tensors)[0]!,
  };
}

/** The forecasts a shopper's heads stand for: log1p spend, purchase-days (null without a prior), churn. */
export interface Forecast {
  value: number;
  purchases: number | null;
  churn: number;
}

/**
 * Turns the value and churn heads into forecasts. With a prior, the heads are log-corrections of it (the same
 * arithmetic as the trainer's score.ts); without one, they are log1p spend and a probability already.
 *
 * @example forecast(manifest, row, forward(manifest, tensors, row)).churn // 0..1
 */
export function forecast(
  manifest: ModelManifest,
  row: readonly number[],
  heads: Pick<HeadOutputs, 'value' | 'churn'>,
): Forecast {
  if (!manifest.prior) return { value: heads.value, purchases: null, churn: heads.churn };
  const prior = bgnbdPrior(row, manifest.featureSpec.names, manifest.prior, manifest.horizonDays);
  const purchases = prior.purchases * Math.exp(heads.value);
  const logPrior = Math.log(Math.max(1e-4, prior.purchases));
  return {
    value: Math.log1p(purchases * prior.spendPerPurchase),
    purchases,
    churn: 1 / (1 + Math.exp(logPrior - heads.churn)),
  };
}
