import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import type { Env } from '../env.js';
import { currentVersion } from '../models/registry.js';
import { driftLevel, psi } from './psi.js';
import type { DriftLevel } from './psi.js';

/** Enough shoppers for stable shares in 10–20 bins, few enough for one quick D1 read. */
export const DRIFT_SAMPLE_MAX = 5_000;

export interface FeatureDrift {
  name: string;
  /** Null when the manifest's histogram for this feature is unusable. */
  psi: number | null;
  level: DriftLevel | null;
}

export interface DriftReport {
  model: string | null;
  /** False when there is no current model or its manifest has no histograms; `reason` then says which. */
  histograms: boolean;
  reason?: string;
  window: { days: number; since: string };
  /** Shoppers whose latest aggregate (same feature spec as the model) was stored inside the window. */
  sample: number;
  features: FeatureDrift[];
}

async function currentManifest(env: Env): Promise<{ version: string | null; manifest: ModelManifest | null }> {
  const version = await currentVersion(env.KV);
  if (version === null) return { version, manifest: null };
  const row = await env.DB.prepare('SELECT manifest FROM models WHERE version = ?').bind(version).first<{ manifest: string }>();
  return { version, manifest: row ? (JSON.parse(row.manifest) as ModelManifest) : null };
}

/**
 * Drift of recently synced feature vectors against the training distribution the current model's manifest
 * recorded, one PSI per feature. The latest snapshot per shopper is what is stored, so each shopper counts
 * once however often they synced.
 *
 * @example
 * const report = await driftReport(env, Date.now(), 7);
 */
export async function driftReport(env: Env, now: number, days: number): Promise<DriftReport> {
  const since = now - days * 86_400_000;
  const window = { days, since: new Date(since).toISOString() };
  const { version, manifest } = await currentManifest(env);
  if (!manifest) return { model: version, histograms: false, reason: 'No model has been published yet', window, sample: 0, features: [] };
  const histograms = manifest.histograms;
  if (!histograms) {
    return { model: version, histograms: false, reason: `Manifest of ${version} has no histograms; drift cannot be measured`, window, sample: 0, features: [] };
  }
  const { results } = await env.DB.prepare(
    'SELECT features FROM profiles WHERE updated_at >= ? AND spec_hash = ? ORDER BY updated_at DESC LIMIT ?',
  )
    .bind(since, manifest.featureSpec.hash, DRIFT_SAMPLE_MAX)
    .all<{ features: string }>();
  const vectors = results.map((r) => JSON.parse(r.features) as number[]);
  const features = manifest.featureSpec.names.map((name, i) => {
    const reference = histograms[i];
    const index = reference ? psi(vectors.map((x) => x[i]!), reference) : null;
    return { name, psi: index, level: index === null ? null : driftLevel(index) };
  });
  return { model: version, histograms: true, window, sample: vectors.length, features };
}
