import type { Database } from './db.js';
import type { ShoalEvent } from './contract/events.js';
import { eventStore, type EventStore } from './events/store.js';
import { emptyAggregates, type Aggregates } from './features/index.js';
import { anonymousId, forgetIdentity, rememberAnonymousId } from './identity.js';
import { emptyInterest, type ProductInterest } from './recs/interest.js';

/**
 * The shopper as this browser knows them: the event store, the aggregate and product interest it folds
 * into, and the anonymous id naming them. Methods are meant to run one at a time (see serial.ts).
 */
export interface Shopper {
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
  append(events: readonly ShoalEvent[]): Promise<void>;
  /** A new anonymous id, no user, nothing recorded: what reset() and forget() leave behind. */
  wipe(): Promise<void>;
}

export function createShopper(storage: Storage | undefined): Shopper {
  let store: EventStore | null = null;
  let aid: string | undefined;
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
      ({
        aggregates: shopper.aggregates,
        interest: shopper.interest,
        id: aid,
      } = await store.read(anonymousId(storage)));
      rememberAnonymousId(storage, aid);
      return aid;
    },
    async append(events) {
      if (store) ({ aggregates: shopper.aggregates, interest: shopper.interest } = await store.append(events));
    },
    async wipe() {
      forgetIdentity(storage);
      aid = anonymousId(storage);
      await store?.clear(aid);
      shopper.aggregates = emptyAggregates();
      shopper.interest = emptyInterest();
    },
  };
  return shopper;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
