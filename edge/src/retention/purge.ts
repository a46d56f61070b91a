const MS_PER_DAY = 86_400_000;
/** Rows per statement: keeps each delete well inside D1's per-query time limit on a large table. */
const PURGE_CHUNK = 5_000;
/** Bounds one sweep (at most 1M rows per table); the next run continues where this one stopped. */
const PURGE_MAX_ROUNDS = 200;

/**
 * Default days a batch id is kept: the SDK drops an outbox item it could not deliver within 7 days of
 * creating it (`MAX_AGE_MS` in sdk/src/sync/delivery.ts), so no browser retries a batch after that; one more
 * day covers the last retry's backoff and a shopper's clock running slow.
 */
export const DEFAULT_BATCH_RETENTION_DAYS = '8';

/**
 * Default days an erasure's tombstone is kept: well past the SDK's retry window, because a browser that
 * comes back after weeks still sends what its outbox held once, and a re-created profile of an erased
 * shopper is the one failure that cannot be taken back. Tombstones are small (see bench/capacity.ts).
 */
export const DEFAULT_ERASURE_RETENTION_DAYS = '30';

/**
 * Parses a `*_RETENTION_DAYS` value. A missing or nonsensical value disables that sweep rather than
 * deleting everything.
 *
 * @example
 * retentionMs('180'); // 15552000000
 */
export function retentionMs(days: string | undefined): number | null {
  const n = Number(days);
  return days !== undefined && days.trim() !== '' && Number.isFinite(n) && n > 0 ? n * MS_PER_DAY : null;
}

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

/**
 * Deletes the rows of `p.table` older than `cutoff`, in chunks. Returns how many went.
 *
 * @example
 * await purgeBefore(env.DB, PURGEABLE.batchIds, Date.now() - 8 * 86_400_000);
 */
export async function purgeBefore(db: D1Database, p: Purgeable, cutoff: number): Promise<number> {
  const sql = `DELETE FROM ${p.table} WHERE ${p.key} IN (SELECT ${p.key} FROM ${p.table} WHERE ${p.time} < ? LIMIT ${PURGE_CHUNK})`;
  let total = 0;
  for (let round = 0; round < PURGE_MAX_ROUNDS; round++) {
    const { meta } = await db.prepare(sql).bind(cutoff).run();
    total += meta.changes;
    if (meta.changes < PURGE_CHUNK) break;
  }
  return total;
}
