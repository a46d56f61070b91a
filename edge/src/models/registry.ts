import type { Env } from '../env.js';
import { EdgeError } from '../errors.js';
import { CURRENT_KEY, MODEL_FILES, modelKey } from './files.js';
import type { ModelUpload } from './upload.js';

/** One row of the model registry as the admin listing shows it. */
export interface ModelEntry {
  version: string;
  createdAt: string;
  publishedAt: string;
  current: boolean;
  /** The manifest's evaluation metrics (e.g. auc), so the dashboard can compare versions. */
  metrics: Record<string, number>;
  /** Whether drift can be measured against this version (its manifest carries histograms). */
  histograms: boolean;
}

/**
 * The version storefronts should load, or null before the first publish.
 *
 * @example
 * const version = await currentVersion(env.KV);
 */
export function currentVersion(kv: KVNamespace): Promise<string | null> {
  return kv.get(CURRENT_KEY);
}

async function versionExists(db: D1Database, version: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM models WHERE version = ?').bind(version).first()) !== null;
}

/**
 * Publishes a checked upload and makes it current. Writes go R2 → D1 → KV so that a failure at any step
 * leaves the previous model current: the KV pointer only moves once every file and the row exist.
 *
 * @example
 * await publishModel(env, await readUpload(form), Date.now());
 */
export async function publishModel(env: Env, upload: ModelUpload, now: number): Promise<void> {
  const { version, createdAt } = upload.manifest;
  if (await versionExists(env.DB, version)) {
    throw new EdgeError(409, 'version_exists', `Version ${version} is already published; versions are immutable`);
  }
  const bodies = { 'manifest.json': upload.manifestText, 'model.json': upload.modelText, 'weights.bin': upload.weights };
  await Promise.all(
    Object.entries(bodies).map(([file, body]) => {
      const name = file as keyof typeof MODEL_FILES;
      return env.MODELS.put(modelKey(version, name), body, { httpMetadata: { contentType: MODEL_FILES[name] } });
    }),
  );
  try {
    await env.DB.prepare('INSERT INTO models (version, created_at, published_at, manifest) VALUES (?, ?, ?, ?)')
      .bind(version, createdAt, now, upload.manifestText)
      .run();
  } catch (err) {
    // Lost a race with a concurrent publish of the same version: the winner's row stands.
    if (await versionExists(env.DB, version)) throw new EdgeError(409, 'version_exists', `Version ${version} is already published`);
    throw err;
  }
  await env.KV.put(CURRENT_KEY, version);
}

/**
 * Makes an already published version current again: its files are immutable and still in R2, so a rollback
 * is one KV write, and clients pick it up on their next manifest revalidation. Returns the version replaced.
 *
 * @example
 * const { previous } = await rollbackModel(env, '2024-05-01.1');
 */
export async function rollbackModel(env: Env, version: string): Promise<{ previous: string | null }> {
  if (!(await versionExists(env.DB, version))) throw new EdgeError(404, 'not_found', `Version ${version} was never published`);
  const previous = await currentVersion(env.KV);
  await env.KV.put(CURRENT_KEY, version);
  return { previous };
}

/**
 * Published versions, newest first (the latest 500), with the current one marked.
 *
 * @example
 * const { current, models } = await listModels(env);
 */
export async function listModels(env: Env): Promise<{ current: string | null; models: ModelEntry[] }> {
  const [current, rows] = await Promise.all([
    currentVersion(env.KV),
    env.DB.prepare(
      `SELECT version, created_at, published_at, json_extract(manifest, '$.metrics') AS metrics,
              json_type(manifest, '$.histograms') IS NOT NULL AS histograms
       FROM models ORDER BY published_at DESC, version DESC LIMIT 500`,
    ).all<{ version: string; created_at: string; published_at: number; metrics: string | null; histograms: number }>(),
  ]);
  const models = rows.results.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    publishedAt: new Date(r.published_at).toISOString(),
    current: r.version === current,
    metrics: JSON.parse(r.metrics ?? '{}') as Record<string, number>,
    histograms: r.histograms === 1,
  }));
  return { current, models };
}
