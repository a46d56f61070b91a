import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ShoalEvent } from '../contract/events.js';
import { applyEvent, emptyAggregates, type Aggregates } from '../features/index.js';

/**
 * On-device storage: a bounded event log plus the running aggregate, written in one transaction so the two
 * never disagree. Falls back to memory when IndexedDB is missing or refuses to open (private mode, blocked).
 */
interface ShoalDB extends DBSchema {
  events: { key: number; value: ShoalEvent };
  state: { key: string; value: Aggregates };
}

export interface EventStore {
  readonly kind: 'indexeddb' | 'memory';
  append(event: ShoalEvent): Promise<Aggregates>;
  aggregates(): Promise<Aggregates>;
  clear(): Promise<void>;
}

export const DB_NAME = 'shoal';
const DB_VERSION = 1;
/** Oldest events are dropped beyond this; the aggregate keeps their contribution. */
export const MAX_EVENTS = 2000;
const OPEN_TIMEOUT_MS = 3000;

export async function openEventStore(): Promise<EventStore> {
  try {
    const db = await withTimeout(
      openDB<ShoalDB>(DB_NAME, DB_VERSION, {
        upgrade(db) {
          db.createObjectStore('events', { autoIncrement: true });
          db.createObjectStore('state');
        },
        // Another tab wants a newer schema (or to delete the database): step aside instead of blocking it.
        blocking(_current, _blocked, event) {
          (event.target as IDBDatabase).close();
        },
      }),
      OPEN_TIMEOUT_MS,
    );
    return idbStore(db);
  } catch {
    return memoryStore();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB open timed out')), ms);
    p.then((x) => { clearTimeout(timer); resolve(x); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

function idbStore(db: IDBPDatabase<ShoalDB>): EventStore {
  return {
    kind: 'indexeddb',
    async append(event) {
      const tx = db.transaction(['events', 'state'], 'readwrite');
      const state = tx.objectStore('state');
      const next = applyEvent((await state.get('aggregates')) ?? emptyAggregates(), event);
      const events = tx.objectStore('events');
      const key = await events.add(event);
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
  };
}

function memoryStore(): EventStore {
  let agg = emptyAggregates();
  return {
    kind: 'memory',
    async append(event) {
      agg = applyEvent(agg, event);
      return agg;
    },
    async aggregates() {
      return agg;
    },
    async clear() {
      agg = emptyAggregates();
    },
  };
}
