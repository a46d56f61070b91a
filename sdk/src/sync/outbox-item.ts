import type { SyncPayload } from '../contract/sync.js';

/**
 * One unit of delivery. Its id is the idempotency key: the same item sent twice is stored once at the edge.
 * A `sync` item is a snapshot of the shopper's aggregate, so a newer one supersedes any older pending one;
 * an `erase` item asks the edge to delete the shopper and survives until the edge confirms.
 */
export type OutboxItem = {
  id: string;
  attempts: number;
  /** Earliest time (ms) the next attempt may start: exponential backoff with jitter. */
  nextAt: number;
  createdAt: number;
} & ({ kind: 'sync'; payload: SyncPayload } | { kind: 'erase'; anonymousId: string });
