import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShoalEvent } from './contract/events.js';
import { applyEvent, emptyAggregates } from './features/index.js';
import { DB_NAME, openDatabase } from './db.js';
import { eventStore } from './events/store.js';
import { openOutbox } from './sync/outbox.js';

const ID = '00000000-0000-4000-8000-000000000000';
const view = (ts: number): ShoalEvent => ({
  type: 'product_view',
  ts,
  productId: `p${ts}`,
  category: 'jazz',
  price: 1,
});

afterEach(async () => {
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = req.onblocked = resolve;
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
