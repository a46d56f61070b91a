import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import type { Env } from '../env.js';
import { currentVersion } from '../models/registry.js';

/**
 * The current model's manifest as published (the registry row keeps its text), or null before the first
 * publish. Views read segment descriptions and value tiers from it.
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
