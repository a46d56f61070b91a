import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import type { Env } from '../env.js';
import { EdgeError } from '../errors.js';
import { forgetKnownNames } from '../sync/known-names.js';
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
  /** The publish token's name; null for versions published before tokens had names. */
  publishedBy: string | null;
  /** The latest rollback to this version: who made it current again, and when. */
  lastRollback: { by: string; at: string } | null;
}

/** One change of the current model, as the audit trail lists it. */
export interface ModelEvent {
  at: string;
  action: 'publish' | 'rollback';
  /** The version made current. */
  version: string;
  /** The version it replaced; null when there was none. */
  previous: string | null;
  /** The publish token's name that made the change. */
  by: string;
}

/** The audit trail the listing carries: enough for "who changed what lately", bounded for one response. */
const EVENTS_LISTED = 50;

/**
 * The version storefronts should load, or null before the first publish.
 *
 * @example
 * const version = await currentVersion(env.KV);
 */
export function currentVersion(kv: KVNamespace): Promise<string | null> {
  return kv.get(CURRENT_KEY);
}

/**
 * The current model's manifest as published (the registry row keeps its text), or null before the first
 * publish: the one reader for every view and report that needs the live model (dashboard, drift).
 *
 * @example
 * const manifest = await currentManifest(env);
 */
export async function currentManifest(env: Env): Promise<ModelManifest | null> {
  const version = await currentVersion(env.KV);
  if (version === null) return null;
  const row = await env.DB.prepare('SELECT manifest FROM models WHERE version = ?')
    .bind(version)
    .first<{ manifest: string }>();
  return row ? (JSON.parse(row.manifest) as ModelManifest) : null;
}

async function versionExists(db: D1Database, version: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM models WHERE version = ?').bind(version).first()) !== null;
}

const recordEvent = (
  db: D1Database,
  e: { at: number; action: ModelEvent['action']; version: string; previous: string | null; by: string },
) =>
  db
    .prepare('INSERT INTO model_events (at, action, version, previous, actor) VALUES (?, ?, ?, ?, ?)')
    .bind(e.at, e.action, e.version, e.previous, e.by);

/**
 * Publishes a checked upload as `by` (a publish token's name) and makes it current. Writes go R2 → D1 → KV so
 * that a failure at any step leaves the previous model current: the KV pointer only moves once every file,
 * the row and its audit entry exist (row and entry in one D1 transaction).
 *
 * @example
 * await publishModel(env, await readUpload(form), Date.now(), c.get('publisher'));
 */
export async function publishModel(env: Env, upload: ModelUpload, now: number, by: string): Promise<void> {
  const { version, createdAt } = upload.manifest;
  if (await versionExists(env.DB, version)) {
    throw new EdgeError(409, 'version_exists', `Version ${version} is already published; versions are immutable`);
  }
  const bodies = {
    'manifest.json': upload.manifestText,
    'model.json': upload.modelText,
    'weights.bin': upload.weights,
  };
  await Promise.all(
    Object.entries(bodies).map(([file, body]) => {
      const name = file as keyof typeof MODEL_FILES;
      return env.MODELS.put(modelKey(version, name), body, { httpMetadata: { contentType: MODEL_FILES[name] } });
    }),
  );
  const previous = await currentVersion(env.KV);
  try {
    await env.DB.batch([
      env.DB.prepare(
        'INSERT INTO models (version, created_at, published_at, manifest, published_by) VALUES (?, ?, ?, ?, ?)',
      ).bind(version, createdAt, now, upload.manifestText, by),
      recordEvent(env.DB, { at: now, action: 'publish', version, previous, by }),
    ]);
  } catch (err) {
    // Lost a race with a concurrent publish of the same version: the winner's row stands.
    if (await versionExists(env.DB, version))
      throw new EdgeError(409, 'version_exists', `Version ${version} is already published`);
    throw err;
  }
  await env.KV.put(CURRENT_KEY, version);
  forgetKnownNames(env.DB);
}

/**
 * Makes an already published version current again on behalf of `by` (a publish token's name): its files are
 * immutable and still in R2, so a rollback is one KV write, and clients pick it up on their next manifest
 * revalidation. The audit entry is written once the pointer has moved, so the trail never claims a rollback
 * that did not happen; rolling back to the version already current changes nothing and records nothing.
 * Returns the version replaced.
 *
 * @example
 * const { previous } = await rollbackModel(env, '2024-05-01.1', 'alice', Date.now());
 */
export async function rollbackModel(
  env: Env,
  version: string,
  by: string,
  now: number,
): Promise<{ previous: string | null }> {
  if (!(await versionExists(env.DB, version)))
    throw new EdgeError(404, 'not_found', `Version ${version} was never published`);
  const previous = await currentVersion(env.KV);
  if (previous === version) return { previous };
  await env.KV.put(CURRENT_KEY, version);
  forgetKnownNames(env.DB);
  await recordEvent(env.DB, { at: now, action: 'rollback', version, previous, by }).run();
  return { previous };
}

interface ModelRow {
  version: string;
  created_at: string;
  published_at: number;
  metrics: string | null;
  histograms: number;
  published_by: string | null;
  rollback_by: string | null;
  rollback_at: number | null;
}

interface EventRow {
  at: number;
  action: ModelEvent['action'];
  version: string;
  previous: string | null;
  actor: string;
}

/**
 * Published versions, newest first (the latest 500), with the current one marked and who published each,
 * plus the latest changes of the current model (publishes and rollbacks, newest first).
 *
 * @example
 * const { current, models, events } = await listModels(env);
 */
export async function listModels(
  env: Env,
): Promise<{ current: string | null; models: ModelEntry[]; events: ModelEvent[] }> {
  const [current, [rows, events]] = await Promise.all([
    currentVersion(env.KV),
    // One round trip for both reads.
    env.DB.batch<ModelRow | EventRow>([
      env.DB.prepare(
        `SELECT m.version, m.created_at, m.published_at, json_extract(m.manifest, '$.metrics') AS metrics,
                json_type(m.manifest, '$.histograms') IS NOT NULL AS histograms, m.published_by,
                r.actor AS rollback_by, r.at AS rollback_at
         FROM models m
         LEFT JOIN model_events r ON r.id = (SELECT id FROM model_events WHERE version = m.version AND action = 'rollback' ORDER BY at DESC, id DESC LIMIT 1)
         ORDER BY m.published_at DESC, m.version DESC LIMIT 500`,
      ),
      env.DB.prepare(
        `SELECT at, action, version, previous, actor FROM model_events ORDER BY id DESC LIMIT ${EVENTS_LISTED}`,
      ),
    ]) as Promise<[D1Result<ModelRow>, D1Result<EventRow>]>,
  ]);
  const models = rows.results.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    publishedAt: new Date(r.published_at).toISOString(),
    current: r.version === current,
    metrics: JSON.parse(r.metrics ?? '{}') as Record<string, number>,
    histograms: r.histograms === 1,
    publishedBy: r.published_by,
    lastRollback:
      r.rollback_by === null || r.rollback_at === null
        ? null
        : { by: r.rollback_by, at: new Date(r.rollback_at).toISOString() },
  }));
  return {
    current,
    models,
    events: events.results.map((e) => ({
      at: new Date(e.at).toISOString(),
      action: e.action,
      version: e.version,
      previous: e.previous,
      by: e.actor,
    })),
  };
}
