import type { SyncPayload } from '../contract/sync.js';
import type { Shopper } from '../shopper.js';
import type { Delivery } from './delivery.js';
import { buildPayload, type PayloadScore } from './payload.js';

/**
 * When the aggregate leaves the device: one snapshot per burst of events (after a quiet `delayMs`), one at
 * once on flush(), a last one on pagehide; `delivery` sends them.
 */
export interface SyncScheduler {
  /** Events were stored: queue a snapshot once the burst is over. */
  soon(): void;
  /** Queues a snapshot of the stored aggregate now (runs in the storage chain). */
  queue(): Promise<void>;
  /** No snapshot of the current aggregate may leave any more: the timer and waiting snapshots go. */
  cancel(): Promise<void>;
  onPageHide(): void;
}

export interface SchedulerOptions {
  delayMs: number;
  shopper: Shopper;
  delivery: Delivery;
  /** Why nothing may be synced now, or null. */
  blocked: () => string | null;
  /** The model's latest outputs for the shopper, if any. */
  score: () => PayloadScore | undefined;
  userIdHash: () => string | null;
  /** Runs `fn` in the SDK's storage chain. */
  enqueue: (what: string, fn: () => Promise<void>) => unknown;
}

export function createSyncScheduler(opts: SchedulerOptions): SyncScheduler {
  const { shopper, delivery } = opts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A burst's snapshot not queued yet: pagehide sends it directly.
  let due = false;
  const snapshot = (): SyncPayload => {
    const ids = { anonymousId: shopper.id(), batchId: crypto.randomUUID() };
    const payload = buildPayload(shopper.aggregates, shopper.interest, Date.now(), ids, opts.score());
    const hash = opts.userIdHash();
    return hash ? { ...payload, userIdHash: hash } : payload;
  };
  const scheduler: SyncScheduler = {
    soon() {
      clearTimeout(timer);
      due = true;
      timer = setTimeout(() => {
        due = false;
        opts.enqueue('sync', scheduler.queue);
      }, opts.delayMs);
    },
    async queue() {
      // This snapshot covers the burst the timer was for: pagehide need not send another (one with the
      // scores of that moment, which a later page would deliver from the outbox).
      clearTimeout(timer);
      due = false;
      if (opts.blocked()) return;
      await shopper.refresh();
      if (shopper.aggregates.events > 0) await delivery.enqueueSnapshot(snapshot());
    },
    async cancel() {
      clearTimeout(timer);
      due = false;
      await delivery.dropSnapshots();
    },
    onPageHide() {
      delivery.flushOnUnload(due && !opts.blocked() ? snapshot() : undefined);
    },
  };
  return scheduler;
}
