import type { Database } from './db.js';
import type { ShoalEvent } from './contract/events.js';
import { eventStore, type EventStore } from './events/store.js';
import { applyEvent, emptyAggregates, type Aggregates } from './features/index.js';
import { anonymousId, forgetIdentity, rememberAnonymousId } from './identity.js';
import { emptyInterest, type ProductInterest } from './recs/interest.js';

/**
 * The shopper as this browser knows them: the event store, the aggregate and product interest it folds
 * into, and the anonymous id naming them. Methods are meant to run one at a time (see serial.ts), except
 * `record`, which folds events in memory at once so scoring need not wait for IndexedDB.
 */
export interface Shopper {
  /** The store's last fold (other tabs' events too) plus the events recorded and not stored yet. */
  readonly aggregates: Aggregates;
  readonly interest: ProductInterest;
  readonly storage: EventStore['kind'] | 'opening';
  /** The id the stored aggregate goes by, as the store last settled it (pagehide has no time to ask). */
  id(): string;
  open(db: Database): Promise<void>;
  /**
   * Re-reads the store, which another tab may have appended to, and the id it settled on: forget() in another
   * tab hands the store to a new id, and this tab must not sync as the old one.
   */
  refresh(): Promise<string>;
  /** Folds tracked events into `aggregates` in memory; `append` stores the same events, in the same order. */
  record(events: readonly ShoalEvent[]): void;
  append(events: readonly ShoalEvent[]): Promise<void>;
  /** A new anonymous id, no user, nothing recorded: what reset() and forget() leave behind. */
  wipe(): Promise<void>;
}

export function createShopper(storage: Storage | undefined): Shopper {
  let store: EventStore | null = null;
  let aid: string | undefined;
  // Recorded, in order, and not stored yet: whatever the store answers, these go on top of it.
  let unstored: ShoalEvent[] = [];
  const withUnstored = (stored: Aggregates) => unstored.reduce(applyEvent, stored);
  const shopper: Mutable<Shopper> = {
    aggregates: emptyAggregates(),
    interest: emptyInterest(),
    storage: 'opening',
    id: () => aid ?? anonymousId(storage),
    async open(db) {
      store = eventStore(db);
      shopper.storage = store.kind;
      await shopper.refresh();
    },
    async refresh() {
      if (!store) {
        aid = anonymousId(storage);
        return aid;
      }
      const read = await store.read(anonymousId(storage));
      ({ interest: shopper.interest, id: aid } = read);
      shopper.aggregates = withUnstored(read.aggregates);
      rememberAnonymousId(storage, aid);
      return aid;
    },
    record(events) {
      unstored = [...unstored, ...events];
      shopper.aggregates = events.reduce(applyEvent, shopper.aggregates);
    },
    async append(events) {
      const stored = await store?.append(events);
      unstored = unstored.slice(events.length);
      if (!stored) return;
      shopper.interest = stored.interest;
      shopper.aggregates = withUnstored(stored.aggregates);
    },
    async wipe() {
      forgetIdentity(storage);
      aid = anonymousId(storage);
      await store?.clear(aid);
      shopper.aggregates = withUnstored(emptyAggregates());
      shopper.interest = emptyInterest();
    },
  };
  return shopper;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
