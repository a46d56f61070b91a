/**
 * Talks to the edge's model registry: uploads a model directory (POST /v1/models, multipart: manifest,
 * model, weights) after checking locally that the weights are the ones the manifest vouches for, reads the
 * current manifest for the quality gate, and asks for a rollback.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { ManifestSchema, type ModelManifest } from '../../../sdk/src/contract/index.js';
import { modelProblem } from '../../../sdk/src/features/index.js';
import { sha256 } from './export.js';

export interface PublishOptions {
  dir: string;
  edge: string;
  token: string;
  timeoutMs?: number;
}

export interface PublishResult {
  ok: boolean;
  status: number;
  body: unknown;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The edge URL for `path`, refusing to send a token in clear text anywhere but a local edge. */
export function edgeUrl(edge: string, path: string): URL {
  const url = new URL(path, edge.endsWith('/') ? edge : `${edge}/`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL.has(url.hostname))) {
    throw new Error(`refusing to send the publish token to ${url.origin}: use https (http only for localhost)`);
  }
  return url;
}

async function call(url: URL, init: RequestInit, timeoutMs: number): Promise<PublishResult> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
    // fetch's own message is just "fetch failed"; the reason (refused, timeout) sits in its cause.
    const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new Error(`could not reach ${url.href}: ${cause}`, { cause: err });
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // A non-JSON answer (a proxy's HTML error page, say) is still worth showing as text.
  }
  return { ok: res.ok, status: res.status, body };
}

/**
 * Reads and checks a model directory: a valid manifest whose size and sha256 match weights.bin, and a model a
 * browser can use (`modelProblem`, the edge's publish check).
 * @example const { manifest } = await readModelDir('models/default');
 */
export async function readModelDir(
  dir: string,
): Promise<{ manifest: ModelManifest; manifestText: string; modelText: string; weights: Buffer }> {
  const [manifestText, modelText, weights] = await Promise.all([
    readFile(join(dir, 'manifest.json'), 'utf8'),
    readFile(join(dir, 'model.json'), 'utf8'),
    readFile(join(dir, 'weights.bin')),
  ]);
  const parsed = v.safeParse(ManifestSchema, JSON.parse(manifestText));
  if (!parsed.success) throw new Error(`${dir}/manifest.json is not a valid manifest: ${v.summarize(parsed.issues)}`);
  const { sha256: expected, bytes } = parsed.output.weights;
  const actual = sha256(weights);
  if (weights.byteLength !== bytes || actual !== expected) {
    throw new Error(
      `${dir}/weights.bin is corrupted: ${weights.byteLength} bytes, sha256 ${actual}; manifest says ${bytes} bytes, ${expected}`,
    );
  }
  // The edge runs the same check and refuses with 422 invalid_model; failing here says so before any upload.
  const problem = modelProblem(parsed.output, new Uint8Array(weights).buffer);
  if (problem) throw new Error(`${dir} is not a model a browser can use: ${problem}`);
  return { manifest: parsed.output, manifestText, modelText, weights };
}

/**
 * @example const r = await publish({ dir: 'models/default', edge: 'http://127.0.0.1:8787', token }); r.status // 201
 */
export async function publish({ dir, edge, token, timeoutMs = 30_000 }: PublishOptions): Promise<PublishResult> {
  const url = edgeUrl(edge, 'v1/models');
  const { manifestText, modelText, weights } = await readModelDir(dir);
  const form = new FormData();
  form.append('manifest', new Blob([manifestText], { type: 'application/json' }), 'manifest.json');
  form.append('model', new Blob([modelText], { type: 'application/json' }), 'model.json');
  form.append('weights', new Blob([new Uint8Array(weights)], { type: 'application/octet-stream' }), 'weights.bin');
  return call(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }, timeoutMs);
}

/**
 * The edge's current manifest (public), or null before the first publish.
 * @example (await currentManifest('http://127.0.0.1:8787'))?.metrics
 */
export async function currentManifest(edge: string, timeoutMs = 30_000): Promise<ModelManifest | null> {
  const r = await call(edgeUrl(edge, 'v1/models/current'), {}, timeoutMs);
  if (r.status === 404) return null;
  if (!r.ok) throw new Error(`GET /v1/models/current answered HTTP ${r.status}`);
  const parsed = v.safeParse(ManifestSchema, r.body);
  if (!parsed.success) throw new Error(`the edge's current manifest is not valid: ${v.summarize(parsed.issues)}`);
  return parsed.output;
}

/**
 * Makes an earlier version current again (POST /v1/models/<version>/rollback). Without `version`, the one
 * published just before the current one, from the registry listing (GET /v1/models, newest first).
 * @example await rollback({ edge, token }) // { ok: true, body: { version: 'cdnow-1a2b3c4d', current: true, … } }
 */
export async function rollback({
  edge,
  token,
  version,
  timeoutMs = 30_000,
}: {
  edge: string;
  token: string;
  version?: string;
  timeoutMs?: number;
}): Promise<PublishResult> {
  const auth = { authorization: `Bearer ${token}` };
  let target = version;
  if (!target) {
    const list = await call(edgeUrl(edge, 'v1/models'), { headers: auth }, timeoutMs);
    if (!list.ok) return list;
    const { models = [] } = list.body as { models?: { version: string; current: boolean }[] };
    const at = models.findIndex((m) => m.current);
    target = models[at + 1]?.version;
    if (at < 0 || !target) throw new Error('no earlier version to roll back to');
  }
  return call(
    edgeUrl(edge, `v1/models/${encodeURIComponent(target)}/rollback`),
    { method: 'POST', headers: auth },
    timeoutMs,
  );
}
