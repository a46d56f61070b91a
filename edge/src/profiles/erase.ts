// A shopper's erasure runs as one D1 batch (a transaction), so a profile never outlives its batch ids.

/**
 * Erases one shopper's profile and every batch id it sent. Idempotent: erasing nothing is fine.
 *
 * @example
 * await eraseShopper(env.DB, anonymousId);
 */
export async function eraseShopper(db: D1Database, anonymousId: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM sync_batches WHERE anonymous_id = ?').bind(anonymousId),
    db.prepare('DELETE FROM profiles WHERE anonymous_id = ?').bind(anonymousId),
  ]);
}

/**
 * Erases every profile linked to a hashed user id (one person may have used several browsers), with their
 * batch ids. Returns how many profiles went.
 *
 * @example
 * const { erased } = await eraseUser(env.DB, userIdHash);
 */
export async function eraseUser(db: D1Database, userIdHash: string): Promise<{ erased: number }> {
  const [, profiles] = await db.batch([
    db
      .prepare(
        'DELETE FROM sync_batches WHERE anonymous_id IN (SELECT anonymous_id FROM profiles WHERE user_id_hash = ?)',
      )
      .bind(userIdHash),
    db.prepare('DELETE FROM profiles WHERE user_id_hash = ?').bind(userIdHash),
  ]);
  return { erased: profiles!.meta.changes };
}
