import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ShoalEvent } from '../contract/events.js';
import { applyEvent, emptyAggregates, type Aggregates } from '../features/index.js';
import type { OutboxItem } from '../sync/outbox-item.js';
import { withTimeout } from '../timeout.js';

/**
 * On-device storage: a bounded event log plus the running aggregate (written in one transaction so the two
 * never disagree) and the delivery outbox. Falls back to memory when IndexedDB is missing or refuses to open
 * (private mode, blocked by policy or by another tab, quota).
 */
interface ShoalDB extends DBSchema {
  events: { key: number; value: ShoalEvent };
  state: { key: string; value: Aggregates };
  outbox: { key: string; value: OutboxItem };
}

export interface EventStore {
  readonly kind: 'indexeddb' | 'memory';
  /** Stores events (in order) and folds them into the aggregate, in one transaction. */
  append(events: readonly ShoalEvent[]): Promise<Aggregates>;
  aggregates(): Promise<Aggregates>;
  /** Forgets the shopper's behaviour: events and aggregate (the outbox is managed separately). */
  clear(): Promise<void>;
  outbox: {
    put(item: OutboxItem): Promise<void>;
    list(): Promise<OutboxItem[]>;
    delete(id: string): Promise<void>;
  };
}

export const DB_NAME = 'shoal';
/** v1: events + state. v2: outbox. */
export const DB_VERSION = 2;
/** Oldest events are dropped beyond this; the aggregate keeps their contribution. */
export const MAX_EVENTS = 2000;
const OPEN_TIMEOUT_MS = 3000;

/**
 * Opens the shopper's store, migrating older schemas in place.
 * @example const store = await openEventStore(); store.kind // 'indexeddb' or 'memory'
 */
export async function openEventStore(): Promise<EventStore> {
  try {
    const db = await withTimeout(
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
    return idbStore(db);
  } catch {
    return memoryStore();
  }
}

function idbStore(db: IDBPDatabase<ShoalDB>): EventStore {
  return {
    kind: 'indexeddb',
    async append(batch) {
      const tx = db.transaction(['events', 'state'], 'readwrite');
      const state = tx.objectStore('state');
      const events = tx.objectStore('events');
      let next = (await state.get('aggregates')) ?? emptyAggregates();
      let key = 0;
      for (const event of batch) {
        next = applyEvent(next, event);
        key = await events.add(event);
      }
      if (key > MAX_EVENTS) await events.delete(IDBKeyRange.upperBound(key - MAX_EVENTS));
      await state.put(next, 'aggregates');
      await tx.done;
      return next;
    },
    async aggregates() {
      return (await db.get('state', 'aggregates')) ?? emptyAggregates();
    },
    async clear() {
      const tx = db.transaction(['events', 'state'], 'readwrite');
      await Promise.all([tx.objectStore('events').clear(), tx.objectStore('state').clear(), tx.done]);
    },
    outbox: {
      put: async (item) => void (await db.put('outbox', item)),
      list: () => db.getAll('outbox'),
      delete: (id) => db.delete('outbox', id),
    },
  };
}

function memoryStore(): EventStore {
  let agg = emptyAggregates();
  const outbox = new Map<string, OutboxItem>();
  return {
    kind: 'memory',
    async append(batch) {
      agg = batch.reduce(applyEvent, agg);
      return agg;
    },
    async aggregates() {
      return agg;
    },
    async clear() {
      agg = emptyAggregates();
    },
    outbox: {
      put: async (item) => void outbox.set(item.id, item),
      list: async () => [...outbox.values()],
      delete: async (id) => void outbox.delete(id),
    },
  };
}
