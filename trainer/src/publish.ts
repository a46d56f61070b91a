import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { ManifestSchema } from '../../sdk/src/contract/index.js';
import { sha256 } from './export.js';

/**
 * Uploads a model directory to the edge's registry (POST /v1/models, multipart: manifest, model, weights),
 * after checking locally that the weights are the ones the manifest vouches for.
 */
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

/**
 * @example const r = await publish({ dir: 'models/default', edge: 'http://127.0.0.1:8787', token }); r.status // 201
 */
export async function publish({ dir, edge, token, timeoutMs = 30_000 }: PublishOptions): Promise<PublishResult> {
  const url = new URL('v1/models', edge.endsWith('/') ? edge : `${edge}/`);
  // The bearer token must not cross the network in clear text; plain http is only for a local edge.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL.has(url.hostname))) {
    throw new Error(`refusing to send the publish token to ${url.origin}: use https (http only for localhost)`);
  }
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
    throw new Error(`${dir}/weights.bin is corrupted: ${weights.byteLength} bytes, sha256 ${actual}; manifest says ${bytes} bytes, ${expected}`);
  }
  const form = new FormData();
  form.append('manifest', new Blob([manifestText], { type: 'application/json' }), 'manifest.json');
  form.append('model', new Blob([modelText], { type: 'application/json' }), 'model.json');
  form.append('weights', new Blob([weights], { type: 'application/octet-stream' }), 'weights.bin');
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err: unknown) => {
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
