/**
 * Erasure tombstones (table `erasures`): the keyed hash of each erased anonymous id and user key (see
 * `tombstoneKey`), so a replayed or late sync of an erased shopper is answered but never stored again.
 */

/**
 * Records a tombstone, or restarts its clock when the shopper is erased again. Meant for the same D1 batch
 * (transaction) as the deletes, so no sync can land between the erasure and its tombstone.
 *
 * @example
 * await db.batch([tombstone(db, key, Date.now()), db.prepare('DELETE …')]);
 */
export function tombstone(db: D1Database, key: ArrayBuffer, now: number): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO erasures (key, erased_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET erased_at = excluded.erased_at',
    )
    .bind(key, now);
}

/**
 * SQL that holds when none of the tombstone keys bound at the given parameter numbers exists (a NULL key
 * matches nothing), for a write's `WHERE`, so the check and the write are one statement.
 *
 * @example
 * `INSERT INTO t SELECT ?1 WHERE ${notErased(2, 3)}`
 */
export function notErased(...params: number[]): string {
  return `NOT EXISTS (SELECT 1 FROM erasures WHERE key IN (${params.map((p) => `?${p}`).join(', ')}))`;
}

/**
 * Whether any of these tombstone keys exists.
 *
 * @example
 * if (await anyErased(db, [key])) return c.json({ ok: true }, 202);
 */
export async function anyErased(db: D1Database, keys: ArrayBuffer[]): Promise<boolean> {
  if (keys.length === 0) return false;
  const row = await db
    .prepare(`SELECT 1 AS erased FROM erasures WHERE key IN (${keys.map(() => '?').join(', ')}) LIMIT 1`)
    .bind(...keys)
    .first();
  return row !== null;
}
