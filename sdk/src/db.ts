/**
 * The shopper's IndexedDB database, owned here alone: its schema, its migrations and how it is opened. The
 * event store (events/store.ts) and the delivery outbox (sync/outbox.ts) each use their own object stores
 * in it and never reach into the other's.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ShoalEvent } from './contract/events.js';
import type { SyncPayload } from './contract/sync.js';
import type { Aggregates } from './features/index.js';
import type { ProductInterest } from './recs/interest.js';
import { withTimeout } from './timeout.js';

/**
 * One unit of delivery in the outbox (sync/). Its id is the idempotency key: the same item sent twice is
 * stored once at the edge. A `sync` item is a snapshot of the shopper's aggregate, so a newer one supersedes
 * any older pending one; an `erase` item asks the edge to delete the shopper and survives until the edge
 * confirms. Declared here, with the rest of the schema, so the database depends on no module that uses it.
 */
export type OutboxItem = {
  id: string;
  attempts: number;
  /** Earliest time (ms) the next attempt may start: exponential backoff with jitter. */
  nextAt: number;
  createdAt: number;
} & ({ kind: 'sync'; payload: SyncPayload } | { kind: 'erase'; anonymousId: string });

export interface ShoalDB extends DBSchema {
  events: { key: number; value: ShoalEvent };
  /** 'aggregates' → Aggregates, 'interest' → ProductInterest, 'aid' → the anonymous id naming them. */
  state: { key: string; value: Aggregates | ProductInterest | string };
  outbox: { key: string; value: OutboxItem };
}

/** The open database, or null where IndexedDB is missing or refuses to open: each user then keeps memory. */
export type Database = IDBPDatabase<ShoalDB> | null;

export const DB_NAME = 'shoal';
/** v1: events + state. v2: outbox. */
export const DB_VERSION = 2;
const OPEN_TIMEOUT_MS = 3000;

/**
 * Opens the shopper's database, migrating older schemas in place; null when IndexedDB is unavailable
 * (private mode, blocked by policy or by another tab, quota).
 * @example const db = await openDatabase(); const store = eventStore(db); // 'memory' when db is null
 */
export async function openDatabase(): Promise<Database> {
  try {
    return await withTimeout(
      openDB<ShoalDB>(DB_NAME, DB_VERSION, {
        upgrade(db, oldVersion) {
          if (oldVersion < 1) {
            db.createObjectStore('events', { autoIncrement: true });
            db.createObjectStore('state');
          }
          if (oldVersion < 2) db.createObjectStore('outbox', { keyPath: 'id' });
        },
        // Another tab wants a newer schema (or to delete the database): step aside instead of blocking it.
        blocking(_current, _blocked, event) {
          (event.target as IDBDatabase).close();
        },
      }),
      OPEN_TIMEOUT_MS,
      'IndexedDB open',
    );
  } catch {
    return null;
  }
}
