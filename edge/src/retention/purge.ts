import type { Env } from '../env.js';
import { SOURCE_KEEP_DAYS } from '../sync/network-source.js';

const MS_PER_DAY = 86_400_000;
/** Rows per statement: keeps each delete well inside D1's per-query time limit on a large table. */
const PURGE_CHUNK = 5_000;
/** Bounds one sweep (at most 1M rows per table); the next daily run continues where this one stopped. */
const PURGE_MAX_ROUNDS = 200;

/**
 * Parses `RETENTION_DAYS`. A missing or nonsensical value disables the sweep rather than deleting everything.
 *
 * @example
 * retentionMs('180'); // 15552000000
 */
export function retentionMs(days: string | undefined): number | null {
  const n = Number(days);
  return days !== undefined && days.trim() !== '' && Number.isFinite(n) && n > 0 ? n * MS_PER_DAY : null;
}

async function purgeTable(
  db: D1Database,
  table: 'profiles' | 'sync_batches',
  column: string,
  cutoff: number,
): Promise<number> {
  const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ${PURGE_CHUNK})`;
  let total = 0;
  for (let round = 0; round < PURGE_MAX_ROUNDS; round++) {
    const { meta } = await db.prepare(sql).bind(cutoff).run();
    total += meta.changes;
    if (meta.changes < PURGE_CHUNK) break;
  }
  return total;
}

/**
 * Deletes profiles not updated, and batch ids not received, within the retention period before `now`.
 *
 * @example
 * await purgeStale(env.DB, Date.now(), retentionMs(env.RETENTION_DAYS)!);
 */
export async function purgeStale(
  db: D1Database,
  now: number,
  keepMs: number,
): Promise<{ profiles: number; syncBatches: number }> {
  const cutoff = now - keepMs;
  const profiles = await purgeTable(db, 'profiles', 'updated_at', cutoff);
  const syncBatches = await purgeTable(db, 'sync_batches', 'received_at', cutoff);
  return { profiles, syncBatches };
}

// Each statement clears one chunk of sources that are older than the cutoff, through the partial indexes on
// rows that still hold one.
const CLEAR_SOURCES = {
  profiles: `UPDATE profiles SET net_source = NULL, net_seen_at = NULL WHERE rowid IN
    (SELECT rowid FROM profiles WHERE net_source IS NOT NULL AND net_seen_at < ? LIMIT ${PURGE_CHUNK})`,
  sync_batches: `UPDATE sync_batches SET net_source = NULL WHERE rowid IN
    (SELECT rowid FROM sync_batches WHERE net_source IS NOT NULL AND received_at < ? LIMIT ${PURGE_CHUNK})`,
};

/**
 * Clears network sources (keyed network hashes, see sync/network-source.ts) set before `now` less a day short
 * of {@link SOURCE_KEEP_DAYS}: the sweep runs daily, so none is ever older than the keep period.
 *
 * @example
 * await clearSources(env.DB, Date.now());
 */
export async function clearSources(db: D1Database, now: number): Promise<{ profiles: number; syncBatches: number }> {
  const cutoff = now - (SOURCE_KEEP_DAYS - 1) * MS_PER_DAY;
  const cleared = { profiles: 0, syncBatches: 0 };
  for (const [table, sql] of Object.entries(CLEAR_SOURCES)) {
    for (let round = 0; round < PURGE_MAX_ROUNDS; round++) {
      const { meta } = await db.prepare(sql).bind(cutoff).run();
      cleared[table === 'profiles' ? 'profiles' : 'syncBatches'] += meta.changes;
      if (meta.changes < PURGE_CHUNK) break;
    }
  }
  return cleared;
}

/**
 * The cron handler's body: network sources past their week cleared, then one sweep with the configured
 * period, logged, or a logged refusal.
 *
 * @example
 * export default { fetch: app.fetch, scheduled: (controller, env) => runRetention(env, controller.scheduledTime) };
 */
export async function runRetention(env: Env, now: number): Promise<void> {
  // Whatever RETENTION_DAYS says, network sources go after their week.
  console.log('network sources cleared', JSON.stringify(await clearSources(env.DB, now)));
  const keepMs = retentionMs(env.RETENTION_DAYS);
  if (keepMs === null) {
    console.warn(
      `retention sweep skipped: RETENTION_DAYS=${JSON.stringify(env.RETENTION_DAYS)} is not a positive number`,
    );
    return;
  }
  const deleted = await purgeStale(env.DB, now, keepMs);
  console.log('retention sweep', JSON.stringify({ retentionDays: env.RETENTION_DAYS, ...deleted }));
}
