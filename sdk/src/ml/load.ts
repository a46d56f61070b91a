import * as v from 'valibot';
import { FEATURE_SPEC } from '../contract/feature-spec.js';
import { ManifestSchema, type ModelManifest } from '../contract/manifest.js';
import { ModelError } from './predict.js';

export interface VerifiedModel {
  manifest: ModelManifest;
  weights: ArrayBuffer;
}

const FETCH_TIMEOUT_MS = 15_000;
const CACHE_NAME = 'shoal-models-v1';
/**
 * The manifest of the last good model: one that verified, decoded and gave a finite prediction (see
 * `rememberLastGood`); its weights sit in Cache Storage under their URL.
 */
const LAST_GOOD_KEY = 'shoal:model';
/**
 * A copy of the last good weights when they are small (base64, checked against the manifest's sha256 like
 * any other copy). Opening Cache Storage costs a first page 10–50 ms of IPC; localStorage is already in the
 * renderer, so a shopper whose model is cached scores without waiting for it.
 */
const LAST_GOOD_WEIGHTS_KEY = 'shoal:model-weights';
const MIRROR_MAX_BYTES = 32 * 1024;

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
  return res;
}

async function sha256(buffer: ArrayBuffer): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', buffer))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}

function checkManifest(raw: unknown): ModelManifest {
  const parsed = v.safeParse(ManifestSchema, raw);
  if (!parsed.success) throw new ModelError('spec_mismatch', `invalid manifest: ${parsed.issues[0].message}`);
  const manifest = parsed.output;
  if (manifest.featureSpec.hash !== FEATURE_SPEC.hash) {
    throw new ModelError(
      'spec_mismatch',
      `model ${manifest.version} uses feature spec ${manifest.featureSpec.hash}, this SDK computes ${FEATURE_SPEC.hash}`,
    );
  }
  return manifest;
}

const openCache = async () => (typeof caches === 'undefined' ? null : caches.open(CACHE_NAME).catch(() => null));

/** Weights by version: from Cache Storage when present and intact, else from the edge (then cached). */
async function weightsFor(edgeUrl: string, manifest: ModelManifest, offline = false): Promise<ArrayBuffer> {
  const url = new URL(`/v1/models/${encodeURIComponent(manifest.version)}/weights.bin`, edgeUrl);
  const cache = await openCache();
  const cached = await cache?.match(url).catch(() => undefined);
  if (cached) {
    const buffer = await cached.arrayBuffer();
    if ((await sha256(buffer)) === manifest.weights.sha256) return buffer;
    await cache?.delete(url);
  }
  if (offline) throw new ModelError('checksum', `no intact cached weights for ${manifest.version}`);
  const buffer = await (await fetchOk(url)).arrayBuffer();
  const digest = await sha256(buffer);
  if (digest !== manifest.weights.sha256)
    throw new ModelError(
      'checksum',
      `weights.bin of ${manifest.version} is corrupted (sha256 ${digest.slice(0, 12)}…)`,
    );
  await cache
    ?.put(url, new Response(buffer.slice(0), { headers: { 'content-type': 'application/octet-stream' } }))
    .catch(() => undefined);
  return buffer;
}

const toBase64 = (buffer: ArrayBuffer) => {
  let s = '';
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoa(s);
};
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;

function mirrorWeights(manifest: ModelManifest, buffer: ArrayBuffer): void {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_GOOD_WEIGHTS_KEY) ?? 'null') as { sha256?: string } | null;
    if (stored?.sha256 === manifest.weights.sha256) return;
    if (buffer.byteLength > MIRROR_MAX_BYTES) localStorage.removeItem(LAST_GOOD_WEIGHTS_KEY);
    else
      localStorage.setItem(
        LAST_GOOD_WEIGHTS_KEY,
        JSON.stringify({ sha256: manifest.weights.sha256, weights: toBase64(buffer) }),
      );
  } catch {
    // No room or no storage: Cache Storage still has the weights.
  }
}

/** The mirrored weights, only if they are the manifest's to the byte (sha256), else null. */
async function mirroredWeights(manifest: ModelManifest): Promise<ArrayBuffer | null> {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_GOOD_WEIGHTS_KEY) ?? 'null') as {
      sha256: string;
      weights: string;
    } | null;
    if (!stored) return null;
    if (stored.sha256 !== manifest.weights.sha256) throw new Error('another model');
    const buffer = fromBase64(stored.weights);
    if ((await sha256(buffer)) === manifest.weights.sha256) return buffer;
  } catch {
    // Unreadable: dropped below like a copy that fails its checksum.
  }
  try {
    localStorage.removeItem(LAST_GOOD_WEIGHTS_KEY);
  } catch {
    // No storage: nothing to drop.
  }
  return null;
}

function readLastGood(): ModelManifest | null {
  try {
    return checkManifest(JSON.parse(localStorage.getItem(LAST_GOOD_KEY) ?? 'null'));
  } catch {
    return null;
  }
}

/**
 * The last good model, if its weights are still intact (the localStorage mirror, else Cache Storage): what a
 * page can score with before any request, while `fetchCurrentModel` revalidates in the background.
 * @example const model = await lastGoodModel('https://edge.example/'); // null on a first visit
 */
export async function lastGoodModel(edgeUrl: string): Promise<VerifiedModel | null> {
  const manifest = readLastGood();
  if (!manifest) return null;
  try {
    return { manifest, weights: (await mirroredWeights(manifest)) ?? (await weightsFor(edgeUrl, manifest, true)) };
  } catch {
    return null;
  }
}

/**
 * Fetches the edge's current model, refusing it (with why) unless the manifest is valid, its feature spec is
 * the one this SDK computes, and weights.bin matches its sha256. It is not the last good model yet: the
 * runtime records it with `rememberLastGood` once it has decoded and predicted.
 * @example const model = await fetchCurrentModel('https://edge.example/');
 */
export async function fetchCurrentModel(edgeUrl: string): Promise<VerifiedModel> {
  const manifest = checkManifest(await (await fetchOk(new URL('/v1/models/current', edgeUrl))).json());
  return { manifest, weights: await weightsFor(edgeUrl, manifest) };
}

/** Makes `model` the one later pages start on (until another is remembered). */
export function rememberLastGood({ manifest, weights }: VerifiedModel): void {
  try {
    localStorage.setItem(LAST_GOOD_KEY, JSON.stringify(manifest));
  } catch {
    // Without storage there is simply no fallback next time.
  }
  mirrorWeights(manifest, weights);
}
