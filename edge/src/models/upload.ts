import * as v from 'valibot';
import { FEATURE_SPEC, ManifestSchema } from '../../../sdk/src/contract/index.js';
import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import { modelProblem } from '../../../sdk/src/features/index.js';
import { EdgeError } from '../errors.js';
import { describeIssue } from '../middleware/body.js';
import { sha256Hex } from '../sha256.js';

/** A publish request that passed every check that needs no storage. */
export interface ModelUpload {
  manifest: ModelManifest;
  /** Stored as sent, so what the trainer wrote is what clients read. */
  manifestText: string;
  modelText: string;
  weights: ArrayBuffer;
}

const PARTS = ['manifest', 'model', 'weights'] as const;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checkManifest(text: string): ModelManifest {
  const result = v.safeParse(ManifestSchema, parseJson(text));
  if (!result.success) throw new EdgeError(422, 'invalid_manifest', describeIssue(result.issues[0]));
  const spec = result.output.featureSpec;
  const sameNames =
    spec.names.length === FEATURE_SPEC.names.length && spec.names.every((n, i) => n === FEATURE_SPEC.names[i]);
  if (spec.hash !== FEATURE_SPEC.hash || !sameNames) {
    throw new EdgeError(
      409,
      'spec_mismatch',
      `Model was trained on spec ${spec.hash}; the edge runs ${FEATURE_SPEC.hash}`,
    );
  }
  return result.output;
}

async function checkWeights(weights: ArrayBuffer, manifest: ModelManifest): Promise<void> {
  const want = manifest.weights;
  if (weights.byteLength !== want.bytes) {
    throw new EdgeError(
      422,
      'checksum_mismatch',
      `weights.bin has ${weights.byteLength} bytes, manifest says ${want.bytes}`,
    );
  }
  if ((await sha256Hex(weights)) !== want.sha256) {
    throw new EdgeError(422, 'checksum_mismatch', 'weights.bin sha256 differs from manifest.weights.sha256');
  }
}

function checkModelJson(text: string): void {
  const model = parseJson(text);
  const ok =
    typeof model === 'object' &&
    model !== null &&
    'modelTopology' in model &&
    Array.isArray((model as { weightsManifest?: unknown }).weightsManifest);
  if (!ok) throw new EdgeError(422, 'invalid_model', 'model.json must be JSON with modelTopology and weightsManifest');
}

/**
 * Reads the three multipart parts and runs every publish check that needs no storage, in the order
 * clients are told about: missing part, manifest schema, feature spec, weight checksum, model.json, and whether
 * a browser can use the model (`modelProblem`: weight shapes, finite weights, normalisation, segment names, and
 * the graph's outputs on the training histograms, run without tfjs).
 *
 * @example
 * const upload = await readUpload(await c.req.formData());
 */
export async function readUpload(form: FormData): Promise<ModelUpload> {
  const parts = PARTS.map((name) => form.get(name));
  const missing = PARTS.filter((_, i) => parts[i] === null);
  if (missing.length > 0) throw new EdgeError(400, 'missing_part', `Missing multipart part(s): ${missing.join(', ')}`);
  const [manifestPart, modelPart, weightsPart] = parts as [File | string, File | string, File | string];
  if (typeof weightsPart === 'string') throw new EdgeError(400, 'missing_part', 'Part "weights" must be a file');
  const text = (part: File | string) => (typeof part === 'string' ? part : part.text());

  const manifestText = await text(manifestPart);
  const manifest = checkManifest(manifestText);
  const weights = await weightsPart.arrayBuffer();
  await checkWeights(weights, manifest);
  const modelText = await text(modelPart);
  checkModelJson(modelText);
  // Last, on bytes already known to be the ones the manifest vouches for: would a browser get sane answers?
  const problem = modelProblem(manifest, weights);
  if (problem) throw new EdgeError(422, 'invalid_model', problem);
  return { manifest, manifestText, modelText, weights };
}
