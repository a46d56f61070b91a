import { userKey } from './keys.js';
import type { ProfileRow } from './row.js';

/**
 * Moving rows written before user ids were keyed (migration 0010) to the keyed form. SQL cannot compute an
 * HMAC, so the worker does it: a signed-in shopper's next sync rewrites their row, and the scheduled sweep
 * moves the rest a slice at a time. Until then readers key a plain hash on the fly, so the API and the
 * export only ever show the keyed value.
 */

/**
 * The keyed user id of a stored row, whichever form it is stored in.
 *
 * @example
 * const userIdHash = await storedUserKey(pepper, row); // 64 hex characters, or null
 */
export async function storedUserKey(
  pepper: string,
  row: Pick<ProfileRow, 'user_key' | 'user_id_hash'>,
): Promise<string | null> {
  if (row.user_key !== null) return row.user_key;
  return row.user_id_hash === null ? null : userKey(pepper, row.user_id_hash);
}

/** Rows one slice moves: one read and one write, each far inside D1's limits. */
const SLICE = 1_000;

/**
 * Moves up to `maxRows` plain user-id hashes to user keys, a slice at a time. A row whose hash changed in
 * between (its shopper synced) is left to that sync, which keyed it already. Returns how many moved.
 *
 * @example
 * await moveUserKeys(env.DB, requireSecret(env, 'ID_PEPPER'), 100_000);
 */
export async function moveUserKeys(db: D1Database, pepper: string, maxRows: number): Promise<number> {
  let moved = 0;
  while (moved < maxRows) {
    const { results } = await db
      .prepare('SELECT anonymous_id AS a, user_id_hash AS h FROM profiles WHERE user_id_hash IS NOT NULL LIMIT ?')
      .bind(Math.min(SLICE, maxRows - moved))
      .all<{ a: string; h: string }>();
    if (results.length === 0) break;
    const keyed = await Promise.all(results.map(async (r) => ({ ...r, k: await userKey(pepper, r.h) })));
    // One statement for the slice: the pairs travel as one JSON parameter.
    const { meta } = await db
      .prepare(
        `UPDATE profiles SET user_key = m.value ->> 'k', user_id_hash = NULL
         FROM json_each(?) AS m
         WHERE profiles.anonymous_id = m.value ->> 'a' AND profiles.user_id_hash = m.value ->> 'h'`,
      )
      .bind(JSON.stringify(keyed))
      .run();
    moved += meta.changes;
    // A short slice was the last; one that moved nothing would only be read again.
    if (results.length < SLICE || meta.changes === 0) break;
  }
  return moved;
}
