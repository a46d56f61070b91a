import { hex, hmac } from '../secrets.js';

/**
 * The keyed forms in which the edge stores identifiers of a person, all under `ID_PEPPER`. Each use has its
 * own prefix, so a value of one kind never equals, or reveals, a value of another.
 */

/**
 * What the edge stores for a browser's user-id hash: HMAC(ID_PEPPER, 'user:' + hash), lowercase hex. The
 * browser's hash is `sha256(salt + user id)` with a public salt, so anyone holding a list of emails could
 * recompute it; this value needs the pepper too. A shop that knows the pepper can compute it for its own
 * customers (for example to join an export to its CRM).
 *
 * @example
 * await userKey(env.ID_PEPPER, payload.userIdHash); // 64 hex characters
 */
export async function userKey(pepper: string, userIdHash: string): Promise<string> {
  return hex(await hmac(pepper, `user:${userIdHash}`));
}

/** 128 bits: collisions among even billions of tombstones stay out of reach. */
const TOMBSTONE_BYTES = 16;

/**
 * An erasure tombstone's key: the first 16 bytes of HMAC(ID_PEPPER, 'erased-<kind>:' + value), where the
 * value is an anonymous id (`shopper`) or a user key (`user`).
 *
 * @example
 * await tombstoneKey(env.ID_PEPPER, 'shopper', anonymousId); // ArrayBuffer(16)
 */
export async function tombstoneKey(pepper: string, kind: 'shopper' | 'user', value: string): Promise<ArrayBuffer> {
  return (await hmac(pepper, `erased-${kind}:${value}`)).slice(0, TOMBSTONE_BYTES).buffer;
}
