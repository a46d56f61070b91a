import * as v from 'valibot';
import { FEATURE_SPEC } from '../contract/feature-spec.js';
import { ManifestSchema, type ModelManifest } from '../contract/manifest.js';
import { ModelError } from './predict.js';

export interface VerifiedModel {
  manifest: ModelManifest;
  weights: ArrayBuffer;
}

const FETCH_TIMEOUT_MS = 15_000;

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
  return res;
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetches the edge's current model and refuses it unless the manifest is valid, its feature spec is the
 * one this SDK computes, and weights.bin matches its sha256 — so a bad publish can never be scored with.
 */
export async function fetchCurrentModel(edgeUrl: string): Promise<VerifiedModel> {
  const raw: unknown = await (await fetchOk(new URL('/v1/models/current', edgeUrl))).json();
  const parsed = v.safeParse(ManifestSchema, raw);
  if (!parsed.success) throw new ModelError('spec_mismatch', `invalid manifest: ${parsed.issues[0].message}`);
  const manifest: ModelManifest = parsed.output;
  if (manifest.featureSpec.hash !== FEATURE_SPEC.hash) {
    throw new ModelError('spec_mismatch', `model ${manifest.version} uses feature spec ${manifest.featureSpec.hash}, SDK computes ${FEATURE_SPEC.hash}`);
  }
  const weights = await (await fetchOk(new URL(`/v1/models/${encodeURIComponent(manifest.version)}/weights.bin`, edgeUrl))).arrayBuffer();
  const digest = hex(await crypto.subtle.digest('SHA-256', weights));
  if (digest !== manifest.weights.sha256) throw new ModelError('checksum', `weights.bin of ${manifest.version} is corrupted (sha256 ${digest.slice(0, 12)}…)`);
  return { manifest, weights };
}
