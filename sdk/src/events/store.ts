import type { IDBPDatabase } from 'idb';
import type { ShoalEvent } from '../contract/events.js';
import type { Database, ShoalDB } from '../db.js';
import { applyEvent, emptyAggregates, reviveAggregates, type Aggregates } from '../features/index.js';
import { emptyInterest, foldInterest, type ProductInterest } from '../recs/interest.js';

/**
 * On-device behaviour: a bounded event log plus the running aggregate (written in one transaction so the two
 * never disagree), in the shopper's database (db.ts), or in memory when there is none.
 */
export interface EventStore {
  readonly kind: 'indexeddb' | 'memory';
  /** Stores events (in order) and folds them into the aggregate and product interest, in one transaction. */
  append(events: readonly ShoalEvent[]): Promise<Folded>;
  /**
   * What the stored events fold into (another tab may have appended since this one last did), and the
   * anonymous id naming it: the one already stored, else `candidate`, which is stored. One transaction
   * decides, so two tabs opened at once agree on one id (localStorage, per renderer in Chromium, can show
   * each tab a different first id).
   */
  read(candidate: string): Promise<Folded & { id: string }>;
  /**
   * Forgets the shopper's behaviour and id (events, aggregate, interest; not the delivery outbox) and
   * hands the store to `successor` in the same transaction, so no other tab can claim it under the old id.
   */
  clear(successor: string): Promise<void>;
}

/** What the event log folds into: everything the SDK derives from behaviour. */
export interface Folded {
  aggregates: Aggregates;
  interest: ProductInterest;
}

/** Oldest events are dropped beyond this; the aggregate keeps their contribution. */
export const MAX_EVENTS = 2000;

/**
 * The shopper's event store in `db`, or in memory when there is no database.
 * @example const store = eventStore(await openDatabase()); store.kind // 'indexeddb' or 'memory'
 */
export const eventStore = (db: Database): EventStore => (db ? idbStore(db) : memoryStore());

function idbStore(db: IDBPDatabase<ShoalDB>): EventStore {
  return {
    kind: 'indexeddb',
    async append(batch) {
      const tx = db.transaction(['events', 'state'], 'readwrite');
      const state = tx.objectStore('state');
      const events = tx.objectStore('events');
      let aggregates = reviveAggregates(await state.get('aggregates'));
      let interest = ((await state.get('interest')) as ProductInterest | undefined) ?? emptyInterest();
      let key = 0;
      for (const event of batch) {
        aggregates = applyEvent(aggregates, event);
        interest = foldInterest(interest, event);
        key = await events.add(event);
      }
      if (key > MAX_EVENTS) await events.delete(IDBKeyRange.upperBound(key - MAX_EVENTS));
      await state.put(aggregates, 'aggregates');
      await state.put(interest, 'interest');
      await tx.done;
      return { aggregates, interest };
    },
    async read(candidate) {
      const tx = db.transaction('state', 'readwrite');
      const [aggregates, interest, stored] = await Promise.all([
        tx.store.get('aggregates'),
        tx.store.get('interest'),
        tx.store.get('aid'),
      ]);
      const id = typeof stored === 'string' ? stored : candidate;
      await Promise.all([tx.store.put(id, 'aid'), tx.done]);
      return {
        aggregates: reviveAggregates(aggregates),
        interest: (interest as ProductInterest | undefined) ?? emptyInterest(),
        id,
      };
    },
    async clear(successor) {
      const tx = db.transaction(['events', 'state'], 'readwrite');
      const state = tx.objectStore('state');
      await Promise.all([
        tx.objectStore('events').clear(),
        state.clear().then(() => state.put(successor, 'aid')),
        tx.done,
      ]);
    },
  };
}

function memoryStore(): EventStore {
  let folded: Folded = { aggregates: emptyAggregates(), interest: emptyInterest() };
  let aid: string | undefined;
  return {
    kind: 'memory',
    async append(batch) {
      folded = {
        aggregates: batch.reduce(applyEvent, folded.aggregates),
        interest: batch.reduce(foldInterest, folded.interest),
      };
      return folded;
    },
    async read(candidate) {
      aid ??= candidate;
      return { ...folded, id: aid };
    },
    async clear(successor) {
      folded = { aggregates: emptyAggregates(), interest: emptyInterest() };
      aid = successor;
    },
  };
}
