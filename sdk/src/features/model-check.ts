/**
 * Whether a browser can use a model: the check the edge runs on publish and the trainer's publish-model
 * runs before it uploads, so neither side ever makes current a model whose weights do not match their
 * manifest, hold NaN, or predict nonsense. The manifest has already passed ManifestSchema.
 */
import type { ModelManifest } from '../contract/manifest.js';
import { PROSPECTS } from '../contract/segments.js';
import { MAX_PREDICTED_SPEND } from '../contract/sync-limits.js';
import { forecast, forward, graphProblem, weightBytes, weightTensors } from './forward.js';
import type { Tensor } from './forward.js';

/** Segment names the blocks and the SDK give a meaning of their own: a model segment must not take them. */
const RESERVED_SEGMENTS = ['default', PROSPECTS];

const finite = (xs: Iterable<number>) => {
  for (const x of xs) if (!Number.isFinite(x)) return false;
  return true;
};

function weightsProblem(manifest: ModelManifest, weights: ArrayBuffer): string | null {
  const need = weightBytes(manifest);
  if (need !== manifest.weights.bytes || weights.byteLength !== need)
    return `weight specs need ${need} bytes; manifest.weights.bytes is ${manifest.weights.bytes} and weights.bin has ${weights.byteLength}`;
  const problem = graphProblem(manifest, new Map(manifest.weights.specs.map((s) => [s.name, s.shape])));
  if (problem) return problem;
  for (const [name, tensor] of weightTensors(manifest, weights))
    if (!finite(tensor.data)) return `weight ${name} holds a value that is not finite`;
  return null;
}

function manifestProblem(manifest: ModelManifest): string | null {
  const n = manifest.featureSpec.names.length;
  for (const [key, values] of Object.entries(manifest.normalisation))
    if (values.length !== n) return `normalisation.${key} has ${values.length} values for ${n} features`;
  const { std, min, max } = manifest.normalisation;
  if (std.some((s) => s < 0)) return 'normalisation.std holds a negative value';
  if (min.some((m, i) => m > max[i]!)) return 'normalisation.min exceeds normalisation.max';
  const names = manifest.segments.map((s) => s.name);
  if (new Set(names).size !== names.length) return `segment names repeat: ${names.join(', ')}`;
  const reserved = names.find((name) => RESERVED_SEGMENTS.includes(name));
  if (reserved) return `segment name "${reserved}" is reserved`;
  if (manifest.segments.some((s, i) => s.id !== i)) return 'segment ids must be 0, 1, 2 … in order';
  const tiers = manifest.valueTiers.map((t) => t.name);
  if (new Set(tiers).size !== tiers.length) return `value tier names repeat: ${tiers.join(', ')}`;
  const histograms = manifest.histograms;
  if (histograms) {
    if (histograms.length !== n) return `${histograms.length} histograms for ${n} features`;
    const bad = histograms.findIndex(
      (h) => h.edges.length !== h.counts.length + 1 || h.edges.some((e, j) => j > 0 && e < h.edges[j - 1]!),
    );
    if (bad >= 0) return `histogram ${bad} needs ascending edges, one more than its counts`;
  }
  return null;
}

/**
 * Inputs that span what the model was trained on: per feature the centre of each histogram bin (a feature
 * with fewer bins repeats its last one), or the training min, mean and max without histograms.
 */
function probeRows(manifest: ModelManifest): number[][] {
  const { histograms, normalisation } = manifest;
  if (!histograms) return [normalisation.min, normalisation.mean, normalisation.max].map((r) => [...r]);
  const bins = Math.max(...histograms.map((h) => h.counts.length));
  return Array.from({ length: bins }, (_, b) =>
    histograms.map(({ edges }) => {
      const j = Math.min(b, edges.length - 2);
      return (edges[j]! + edges[j + 1]!) / 2;
    }),
  );
}

function outputProblem(manifest: ModelManifest, tensors: Map<string, Tensor>): string | null {
  for (const row of probeRows(manifest)) {
    const heads = forward(manifest, tensors, row);
    const { value, purchases, churn } = forecast(manifest, row, heads);
    const spend = Math.expm1(value);
    const sum = heads.segmentProbs.reduce((a, b) => a + b, 0);
    const ok =
      finite(heads.segmentProbs) &&
      heads.segmentProbs.every((p) => p >= 0 && p <= 1) &&
      Math.abs(sum - 1) < 1e-3 &&
      Number.isFinite(value) &&
      spend <= MAX_PREDICTED_SPEND &&
      (purchases === null || (Number.isFinite(purchases) && purchases >= 0)) &&
      churn >= 0 &&
      churn <= 1;
    if (!ok)
      return `on training inputs [${row.map((x) => x.toPrecision(3)).join(', ')}] the model outputs segment probabilities [${heads.segmentProbs}], value ${value}, churn ${churn}`;
  }
  return null;
}

/**
 * The first reason a browser could not use this model, or null when it can: every weight spec's shape ×
 * float32 sums to the bytes, the shapes chain through the graph into heads of the manifest's sizes, every
 * weight is finite, normalisation arrays have the spec's length, segment and tier names are distinct and
 * unreserved, and the graph, run without tfjs on inputs across the training histograms, gives finite
 * probabilities, churn risk in 0..1 and a spend the sync contract accepts.
 *
 * @example
 * const problem = modelProblem(manifest, await readFile('weights.bin').then((b) => b.buffer));
 * if (problem) throw new Error(`refusing to publish: ${problem}`);
 */
export function modelProblem(manifest: ModelManifest, weights: ArrayBuffer): string | null {
  const problem = weightsProblem(manifest, weights) ?? manifestProblem(manifest);
  return problem ?? outputProblem(manifest, weightTensors(manifest, weights));
}
