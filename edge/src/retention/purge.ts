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
