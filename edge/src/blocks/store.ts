import type { BlockConfig } from '../../../sdk/src/contract/index.js';
import { EdgeError } from '../errors.js';

/** What `GET /v1/blocks` serves before anything is saved: version 0, so the first save is version 1. */
export const EMPTY_CONFIG: BlockConfig = { version: 0, updatedAt: new Date(0).toISOString(), blocks: {} };

/** One saved version as the history lists it. */
export interface BlockVersion {
  version: number;
  updatedAt: string;
  revertedFrom: number | null;
  /** Who saved it (token or dashboard session name); null for versions saved before attribution. */
  savedBy: string | null;
  blocks: number;
}

// The guard and the insert are one statement, so two editors saving "current + 1" at once cannot both win:
// SQLite runs it atomically and the loser inserts no row.
const INSERT_NEXT = `
INSERT INTO block_configs (version, config, updated_at, reverted_from, saved_by)
SELECT ?1, ?2, ?3, ?4, ?5
WHERE COALESCE((SELECT MAX(version) FROM block_configs), 0) = ?1 - 1`;

const MAX_VERSION = 'SELECT COALESCE(MAX(version), 0) AS version FROM block_configs';

/**
 * The live configuration (the highest version), or {@link EMPTY_CONFIG}.
 *
 * @example
 * const config = await currentConfig(env.DB);
 */
export async function currentConfig(db: D1Database): Promise<BlockConfig> {
  const row = await db
    .prepare('SELECT config FROM block_configs ORDER BY version DESC LIMIT 1')
    .first<{ config: string }>();
  return row ? (JSON.parse(row.config) as BlockConfig) : EMPTY_CONFIG;
}

/**
 * One saved version, or null.
 *
 * @example
 * const v3 = await configVersion(env.DB, 3);
 */
export async function configVersion(db: D1Database, version: number): Promise<BlockConfig | null> {
  const row = await db
    .prepare('SELECT config FROM block_configs WHERE version = ?')
    .bind(version)
    .first<{ config: string }>();
  return row ? (JSON.parse(row.config) as BlockConfig) : null;
}

/**
 * Saves `config` as the next version, stamped with the server's clock. Optimistic concurrency: the caller
 * states the version it is creating (current + 1); anything else is 409 `version_conflict` naming the
 * current version, so the dashboard can reload and reapply.
 *
 * @example
 * const saved = await saveConfig(env.DB, { ...config, version: current.version + 1 }, Date.now(), c.get('publisher'));
 */
export async function saveConfig(
  db: D1Database,
  config: BlockConfig,
  now: number,
  by: string,
  revertedFrom: number | null = null,
): Promise<BlockConfig> {
  const saved: BlockConfig = { ...config, updatedAt: new Date(now).toISOString() };
  const result = await db.prepare(INSERT_NEXT).bind(saved.version, JSON.stringify(saved), now, revertedFrom, by).run();
  if (result.meta.changes !== 1) {
    const current = (await db.prepare(MAX_VERSION).first<{ version: number }>())?.version ?? 0;
    throw new EdgeError(
      409,
      'version_conflict',
      `Version must be ${current + 1} (current is ${current}), got ${config.version}`,
    );
  }
  return saved;
}

/**
 * Saved versions, newest first (the latest 500).
 *
 * @example
 * const versions = await listVersions(env.DB);
 */
export async function listVersions(db: D1Database): Promise<BlockVersion[]> {
  const rows = await db
    .prepare(
      `SELECT version, updated_at, reverted_from, saved_by, (SELECT COUNT(*) FROM json_each(config, '$.blocks')) AS blocks
       FROM block_configs ORDER BY version DESC LIMIT 500`,
    )
    .all<{
      version: number;
      updated_at: number;
      reverted_from: number | null;
      saved_by: string | null;
      blocks: number;
    }>();
  return rows.results.map((r) => ({
    version: r.version,
    updatedAt: new Date(r.updated_at).toISOString(),
    revertedFrom: r.reverted_from,
    savedBy: r.saved_by,
    blocks: r.blocks,
  }));
}
