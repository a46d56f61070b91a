import type { Env } from '../env.js';

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

/**
 * The cron handler's body: one sweep with the configured period, logged, or a logged refusal.
 *
 * @example
 * export default { fetch: app.fetch, scheduled: (controller, env) => runRetention(env, controller.scheduledTime) };
 */
export async function runRetention(env: Env, now: number): Promise<void> {
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
