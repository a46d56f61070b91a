import { tombstoneKey, userKey } from './keys.js';
import { tombstone } from './tombstones.js';

// Each erasure is one D1 batch (a transaction) that writes the tombstones and deletes, so a profile never
// outlives its batch ids and no sync can land between the deletes and the tombstone that refuses it.

/** The batch ids of the profiles a `WHERE` clause on `profiles` selects, deleted before the profiles go. */
const deleteBatchIds = (db: D1Database, where: string) =>
  db.prepare(`DELETE FROM batch_ids WHERE shopper IN (SELECT rowid FROM profiles WHERE ${where})`);

/**
 * Erases one shopper's profile and every batch id it sent, and leaves a tombstone so that a replayed or late
 * sync of this shopper is never stored again. Idempotent: erasing nothing still leaves the tombstone (the
 * shopper's first sync may still be on its way).
 *
 * @example
 * await eraseShopper(env.DB, requireSecret(env, 'ID_PEPPER'), anonymousId, Date.now());
 */
export async function eraseShopper(db: D1Database, pepper: string, anonymousId: string, now: number): Promise<void> {
  await db.batch([
    tombstone(db, await tombstoneKey(pepper, 'shopper', anonymousId), now),
    deleteBatchIds(db, 'anonymous_id = ?').bind(anonymousId),
    db.prepare('DELETE FROM profiles WHERE anonymous_id = ?').bind(anonymousId),
  ]);
}

/** Profiles of a person: keyed, or written before user ids were keyed and not yet moved over. */
const OF_USER = 'user_key = ?1 OR user_id_hash = ?2';
const LATE_SLICE = 50;

/**
 * Erases every profile linked to a browser's user-id hash (one person may have used several browsers), with
 * their batch ids, and leaves tombstones for the person and each browser. Returns how many profiles went.
 *
 * The browsers are read first, since their tombstone keys are HMACs that SQL cannot compute. A browser that
 * links itself to the person in between is still deleted (the delete has the same `WHERE`), and gets its
 * tombstone in a second transaction; once the person's tombstone is in, no sync can link another.
 *
 * @example
 * const { erased } = await eraseUser(env.DB, requireSecret(env, 'ID_PEPPER'), userIdHash, Date.now());
 */
export async function eraseUser(
  db: D1Database,
  pepper: string,
  userIdHash: string,
  now: number,
): Promise<{ erased: number }> {
  const key = await userKey(pepper, userIdHash);
  const { results } = await db
    .prepare(`SELECT anonymous_id FROM profiles WHERE ${OF_USER}`)
    .bind(key, userIdHash)
    .all<{ anonymous_id: string }>();
  const known = results.map((r) => r.anonymous_id);
  const shopperTombstones = (ids: string[]) =>
    Promise.all(ids.map(async (id) => tombstone(db, await tombstoneKey(pepper, 'shopper', id), now)));
  const statements = [
    tombstone(db, await tombstoneKey(pepper, 'user', key), now),
    ...(await shopperTombstones(known)),
    deleteBatchIds(db, OF_USER).bind(key, userIdHash),
    db.prepare(`DELETE FROM profiles WHERE ${OF_USER} RETURNING anonymous_id`).bind(key, userIdHash),
  ];
  const removed = (await db.batch<{ anonymous_id: string }>(statements)).at(-1)!.results;
  const late = removed.map((r) => r.anonymous_id).filter((id) => !known.includes(id));
  // Whatever such a browser managed to store again before its tombstone existed goes with it. In slices,
  // since a statement takes at most 100 parameters.
  for (let i = 0; i < late.length; i += LATE_SLICE) {
    const ids = late.slice(i, i + LATE_SLICE);
    const where = `anonymous_id IN (${ids.map(() => '?').join(', ')})`;
    await db.batch([
      ...(await shopperTombstones(ids)),
      deleteBatchIds(db, where).bind(...ids),
      db.prepare(`DELETE FROM profiles WHERE ${where}`).bind(...ids),
    ]);
  }
  return { erased: removed.length };
}
