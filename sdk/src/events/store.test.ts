import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../contract/events.js';
import { applyEvent, emptyAggregates } from '../features/index.js';
import { DB_NAME, openDatabase } from '../db.js';
import { openOutbox } from '../sync/outbox.js';
import { eventStore, MAX_EVENTS } from './store.js';

const ID = '00000000-0000-4000-8000-000000000000';
const view = (ts: number): ShoalEvent => ({
  type: 'product_view',
  ts,
  productId: `p${ts}`,
  category: 'jazz',
  price: 1,
});

const openEventStore = async () => eventStore(await openDatabase());

afterEach(async () => {
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = req.onblocked = resolve;
  });
});

describe('event store', () => {
  it('persists the aggregate across reopen, equal to replaying the events', async () => {
    const events = [view(1), view(2), view(3)];
    const store = await openEventStore();
    expect(store.kind).toBe('indexeddb');
    await store.append(events.slice(0, 1));
    await store.append(events.slice(1));
    const reopened = await openEventStore();
    expect((await reopened.read(ID)).aggregates).toEqual(events.reduce(applyEvent, emptyAggregates()));
  });

  it('settles two tabs that open at once on one anonymous id, and hands the store to a new one on clear', async () => {
    const [a, b] = await Promise.all([openEventStore(), openEventStore()]);
    const [{ id: idA }, { id: idB }] = await Promise.all([
      a.read('aaaaaaaa-0000-4000-8000-000000000001'),
      b.read('bbbbbbbb-0000-4000-8000-000000000002'),
    ]);
    expect(idB).toBe(idA);
    expect((await (await openEventStore()).read('cccccccc-0000-4000-8000-000000000003')).id).toBe(idA);
    await b.clear('dddddddd-0000-4000-8000-000000000004');
    // Handed over in the clearing transaction: another tab's stale candidate cannot take the store back.
    expect((await a.read(idA)).id).toBe('dddddddd-0000-4000-8000-000000000004');
  });

  it('bounds the event log but keeps every event in the aggregate', async () => {
    const store = await openEventStore();
    const n = MAX_EVENTS + 25;
    for (let i = 1; i <= n; i += 25) await store.append(Array.from({ length: 25 }, (_, j) => view(i + j)));
    const count = await new Promise<number>((resolve) => {
      const req = indexedDB.open(DB_NAME);
      req.onsuccess = () => {
        const c = req.result.transaction('events').objectStore('events').count();
        c.onsuccess = () => {
          resolve(c.result);
          req.result.close();
        };
      };
    });
    expect(count).toBe(MAX_EVENTS);
    expect((await store.read(ID)).aggregates.productViews).toBe(n);
  }, 60_000);

  it('falls back to memory when IndexedDB is unavailable', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB (private mode, blocked by policy)
    delete globalThis.indexedDB;
    try {
      const store = await openEventStore();
      expect(store.kind).toBe('memory');
      await store.append([view(1)]);
      expect((await store.read(ID)).aggregates.productViews).toBe(1);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('clear() forgets events and aggregate', async () => {
    const store = await openEventStore();
    await store.append([view(1)]);
    await store.clear('eeeeeeee-0000-4000-8000-000000000005');
    expect((await store.read(ID)).aggregates).toEqual(emptyAggregates());
  });
});

describe('schema migration', () => {
  it('upgrades a version 1 database in place, keeping its events and aggregate', async () => {
    const old = applyEvent(emptyAggregates(), view(1));
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('events', { autoIncrement: true }).add(view(1));
        req.result.createObjectStore('state').put(old, 'aggregates');
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const db = await openDatabase();
    const store = eventStore(db);
    expect(store.kind).toBe('indexeddb');
    expect((await store.read(ID)).aggregates).toEqual(old);
    expect(await openOutbox(Promise.resolve(db)).list()).toEqual([]);
    expect((await store.append([view(2)])).aggregates.productViews).toBe(2);
  });
});
