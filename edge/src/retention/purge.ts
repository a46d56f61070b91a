import { SOURCE_KEEP_DAYS } from '../sync/network-source.js';
import { MS_PER_DAY } from './periods.js';

// Retention periods themselves (defaults, parsing) live in periods.ts, which Node tools read too.

/** Rows per statement: keeps each delete well inside D1's per-query time limit on a large table. */
const PURGE_CHUNK = 5_000;
/** Bounds one sweep (at most 1M rows per table); the next run continues where this one stopped. */
const PURGE_MAX_ROUNDS = 200;

/** A table the sweep empties of old rows, by a time column, one chunk of keys at a time. */
interface Purgeable {
  table: 'profiles' | 'batch_ids' | 'erasures';
  time: string;
  /** The column a chunk is selected by: `rowid`, or the primary key of a table without one. */
  key: string;
}

export const PURGEABLE = {
  profiles: { table: 'profiles', time: 'updated_at', key: 'rowid' },
  batchIds: { table: 'batch_ids', time: 'received_at', key: 'rowid' },
  erasures: { table: 'erasures', time: 'erased_at', key: 'key' },
} as const satisfies Record<string, Purgeable>;

/** Runs a chunked statement (bound to `cutoff`) until a chunk comes back short; returns the rows changed. */
async function inChunks(db: D1Database, sql: string, cutoff: number): Promise<number> {
  let total = 0;
  for (let round = 0; round < PURGE_MAX_ROUNDS; round++) {
    const { meta } = await db.prepare(sql).bind(cutoff).run();
    total += meta.changes;
    if (meta.changes < PURGE_CHUNK) break;
  }
  return total;
}

/**
 * Deletes the rows of `p.table` older than `cutoff`, in chunks. Returns how many went.
 *
 * @example
 * await purgeBefore(env.DB, PURGEABLE.batchIds, Date.now() - 8 * 86_400_000);
 */
export function purgeBefore(db: D1Database, p: Purgeable, cutoff: number): Promise<number> {
  return inChunks(
    db,
    `DELETE FROM ${p.table} WHERE ${p.key} IN (SELECT ${p.key} FROM ${p.table} WHERE ${p.time} < ? LIMIT ${PURGE_CHUNK})`,
    cutoff,
  );
}

// Each statement clears one chunk of sources that are older than the cutoff, through the partial indexes on
// rows that still hold one.
const CLEAR_SOURCES = {
  profiles: `UPDATE profiles SET net_source = NULL, net_seen_at = NULL WHERE rowid IN
    (SELECT rowid FROM profiles WHERE net_source IS NOT NULL AND net_seen_at < ? LIMIT ${PURGE_CHUNK})`,
  batchIds: `UPDATE batch_ids SET net_source = NULL WHERE rowid IN
    (SELECT rowid FROM batch_ids WHERE net_source IS NOT NULL AND received_at < ? LIMIT ${PURGE_CHUNK})`,
};

/**
 * Clears network sources (keyed network hashes, see sync/network-source.ts) set before `now` less a day short
 * of {@link SOURCE_KEEP_DAYS}, whatever the retention periods: none is ever older than the keep period, even
 * if a sweep is missed.
 *
 * @example
 * await clearSources(env.DB, Date.now());
 */
export async function clearSources(db: D1Database, now: number): Promise<{ profiles: number; batchIds: number }> {
  const cutoff = now - (SOURCE_KEEP_DAYS - 1) * MS_PER_DAY;
  return {
    profiles: await inChunks(db, CLEAR_SOURCES.profiles, cutoff),
    batchIds: await inChunks(db, CLEAR_SOURCES.batchIds, cutoff),
  };
}
