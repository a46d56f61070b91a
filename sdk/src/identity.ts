/**
 * Who the shopper is, as far as Shoal ever knows: a random first-party id naming this browser's aggregate,
 * and, after `identify()`, a salted SHA-256 of the store's user id. The plain user id is never stored or sent.
 */
import { readItem, writeItem } from './storage.js';

const AID_KEY = 'shoal:aid';
const UID_KEY = 'shoal:uid';

export function anonymousId(storage: Storage | undefined): string {
  const existing = readItem(storage, AID_KEY);
  if (existing && /^[0-9a-f-]{36}$/.test(existing)) return existing;
  const id = crypto.randomUUID();
  writeItem(storage, AID_KEY, id);
  return id;
}

/** Mirrors the id the event store settled on (see `EventStore.read`), so this tab and others read it. */
export function rememberAnonymousId(storage: Storage | undefined, id: string): void {
  // Setting the value it already holds is a no-op for localStorage (no storage event), so no read first.
  writeItem(storage, AID_KEY, id);
}

export function userIdHash(storage: Storage | undefined): string | null {
  const hash = readItem(storage, UID_KEY);
  return hash && /^[0-9a-f]{64}$/.test(hash) ? hash : null;
}

/**
 * Hashes and remembers the store's user id. The salt is per store, so the same person gets unrelated
 * hashes in two shops using Shoal.
 * @example await identifyUser(localStorage, 'store-salt', 'customer-42') // '9f86d0…'
 */
export async function identifyUser(storage: Storage | undefined, salt: string, userId: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${salt}\u0000${userId}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hash = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  writeItem(storage, UID_KEY, hash);
  return hash;
}

/** A new anonymous id and no user: what `reset()` and `forget()` leave behind. */
export function forgetIdentity(storage: Storage | undefined): void {
  writeItem(storage, AID_KEY, null);
  writeItem(storage, UID_KEY, null);
}
