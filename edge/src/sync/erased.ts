import { tombstoneKey, userKey } from '../profiles/keys.js';
import { anyErased } from '../profiles/tombstones.js';
import type { StoredSync } from './intake.js';

/**
 * What a sync is checked and stored with besides its payload: the keyed user id the profile keeps, and the
 * tombstone keys that, if present, mean the shopper (this browser, or the signed-in person) was erased.
 */
export interface SyncKeys {
  /** HMAC of the payload's `userIdHash` (see `userKey`), null when the shopper is not signed in. */
  userKey: string | null;
  shopperTombstone: ArrayBuffer;
  userTombstone: ArrayBuffer | null;
}

/**
 * The keys for one sync, computed before the write so the write stays one round trip.
 *
 * @example
 * const keys = await syncKeys(requireSecret(env, 'ID_PEPPER'), payload);
 */
export async function syncKeys(
  pepper: string,
  payload: Pick<StoredSync, 'anonymousId' | 'userIdHash'>,
): Promise<SyncKeys> {
  const user = payload.userIdHash === undefined ? null : await userKey(pepper, payload.userIdHash);
  return {
    userKey: user,
    shopperTombstone: await tombstoneKey(pepper, 'shopper', payload.anonymousId),
    userTombstone: user === null ? null : await tombstoneKey(pepper, 'user', user),
  };
}

/**
 * Whether a sync that stored nothing was refused by a tombstone rather than being a replay. Asked only then,
 * and only to choose the answer: the write itself checked the tombstones in its own transaction.
 *
 * @example
 * const status = duplicate && !(await wasErased(env.DB, keys)) ? 200 : 202;
 */
export function wasErased(db: D1Database, keys: SyncKeys): Promise<boolean> {
  return anyErased(db, keys.userTombstone ? [keys.shopperTombstone, keys.userTombstone] : [keys.shopperTombstone]);
}
