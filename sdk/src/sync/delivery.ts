import type { SyncPayload } from '../contract/sync.js';
import { backoffMs } from './backoff.js';
import { whenLockFree } from './lock.js';
import type { Outbox } from './outbox.js';
import type { OutboxItem } from '../db.js';
import { sendItem } from './send.js';

export interface DeliveryOptions {
  edgeUrl: string;
  outbox: Outbox;
  onError: (error: Error) => void;
  random?: () => number;
}

export interface DeliveryStats {
  delivered: number;
  pending: number;
  retries: number;
  dropped: number;
}

export interface Delivery {
  /** Queues the latest aggregate, superseding any older snapshot still waiting. */
  enqueueSnapshot(payload: SyncPayload): Promise<void>;
  /** Asks the edge to erase the shopper; kept and retried (with backoff, across visits) until it answers 2xx. */
  enqueueErase(anonymousId: string): Promise<void>;
  /**
   * No snapshot waiting may leave any more (sync consent withdrawn, forget, reset): they are dropped, and one
   * being sent right now is not retried whatever its answer.
   */
  dropSnapshots(): Promise<void>;
  /** Nothing is sent before this (the start-up gate calls it); then what earlier pages left goes first. */
  start(): void;
  /** Sends every item that is due, if no other tab is already delivering (once started). */
  flush(): Promise<void>;
  /**
   * pagehide: best-effort keepalive sends of everything waiting plus `last` (the snapshot the page did not
   * get to queue). Items stay in the outbox until an answer is seen, so the next visit finishes the job.
   */
  flushOnUnload(last?: SyncPayload): void;
  stats(): DeliveryStats;
}

const LOCK = 'shoal:deliver';
/**
 * Snapshots nobody could deliver for a week are stale: a newer one will have replaced them by then. An erase
 * never is: it goes on until the edge confirms it.
 */
const MAX_AGE_MS = 7 * 86_400_000;
// Also the poll interval while another tab holds the delivery lock.
const MIN_TIMER_MS = 1000;

type Attempt = Required<DeliveryOptions> & {
  stats: DeliveryStats;
  /** Counts dropSnapshots() calls: a snapshot from an earlier count must not be sent or kept any more. */
  drops: number;
};

/**
 * One attempt at one item (of a pass that began at drop count `drops`), and what it leaves in the outbox:
 * nothing, or the item with its next backoff.
 */
async function attemptItem(item: OutboxItem, ctx: Attempt, drops: number): Promise<void> {
  const { edgeUrl, outbox, onError, random, stats } = ctx;
  const dropped = () => item.kind === 'sync' && ctx.drops !== drops;
  if (dropped()) return;
  const outcome = await sendItem(edgeUrl, item);
  if (outcome.result === 'done') {
    await outbox.delete(item.id);
    stats.delivered++;
    return;
  }
  onError(new Error(outcome.reason));
  if (dropped()) return;
  if (outcome.result === 'drop' || (item.kind === 'sync' && Date.now() - item.createdAt > MAX_AGE_MS)) {
    await outbox.delete(item.id);
    stats.dropped++;
    return;
  }
  stats.retries++;
  await outbox.put({ ...item, attempts: item.attempts + 1, nextAt: Date.now() + backoffMs(item.attempts + 1, random) });
}

/** What is due now, oldest first; nothing while the browser says it is offline. */
function dueItems(items: readonly OutboxItem[]): OutboxItem[] {
  const online = (globalThis.navigator as Navigator | undefined)?.onLine !== false;
  return online ? items.filter((i) => i.nextAt <= Date.now()).sort((a, b) => a.createdAt - b.createdAt) : [];
}

const fresh = (id: string) => ({ id, attempts: 0, nextAt: 0, createdAt: Date.now() });

/** pagehide: keepalive sends of `waiting` plus `last`, which replaces any snapshot among them. */
function sendOnUnload(edgeUrl: string, outbox: Outbox, waiting: readonly OutboxItem[], last?: SyncPayload): void {
  const items = waiting.filter((i) => !(last && i.kind === 'sync'));
  if (last) {
    const item: OutboxItem = { ...fresh(last.batchId), kind: 'sync', payload: last };
    items.push(item);
    void dropSnapshotItems(outbox)
      .then(() => outbox.put(item))
      .catch(() => undefined);
  }
  for (const item of items)
    void sendItem(edgeUrl, item, true)
      .then((o) => (o.result === 'done' ? outbox.delete(item.id) : undefined))
      .catch(() => undefined);
}

async function dropSnapshotItems(outbox: Outbox): Promise<void> {
  for (const item of await outbox.list()) if (item.kind === 'sync') await outbox.delete(item.id);
}

/**
 * The persistent outbox and its delivery loop: at-least-once sending with idempotency keys makes each item
 * count exactly once at the edge, across retries, reloads, crashes and tabs.
 */
export function createDelivery({ edgeUrl, outbox, onError, random = Math.random }: DeliveryOptions): Delivery {
  const stats: DeliveryStats = { delivered: 0, pending: 0, retries: 0, dropped: 0 };
  const context: Attempt = { edgeUrl, outbox, onError, random, stats, drops: 0 };
  // Mirror of the outbox for pagehide, when there is no time left to read IndexedDB.
  let cached: OutboxItem[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Every pass waits for start().
  let release: () => void = () => undefined;
  let passes = new Promise<void>((resolve) => {
    release = resolve;
  });
  const refresh = async () => {
    cached = await outbox.list();
    stats.pending = cached.length;
  };
  const schedule = () => {
    clearTimeout(timer);
    if (cached.length === 0) return;
    const wait = Math.max(MIN_TIMER_MS, Math.min(...cached.map((i) => i.nextAt)) - Date.now());
    timer = setTimeout(() => void api.flush(), wait);
  };
  const deliverDue = async () => {
    await refresh();
    const drops = context.drops;
    for (const item of dueItems(cached)) await attemptItem(item, context, drops);
  };
  const add = async (item: OutboxItem) => {
    await outbox.put(item);
    await refresh();
    void api.flush();
  };
  const api: Delivery = {
    async enqueueSnapshot(payload) {
      await api.dropSnapshots();
      await add({ ...fresh(payload.batchId), kind: 'sync', payload });
    },
    enqueueErase: (anonymousId) => add({ ...fresh(crypto.randomUUID()), kind: 'erase', anonymousId }),
    dropSnapshots() {
      context.drops++;
      return dropSnapshotItems(outbox).then(refresh);
    },
    start() {
      release();
      void api.flush();
    },
    flush() {
      // Passes run one after another in this tab (a call during a pass gets a pass of its own, which sees
      // what was queued meanwhile); the lock keeps other tabs out while one sends.
      passes = passes
        .then(() => whenLockFree(LOCK, deliverDue))
        .then(refresh)
        .catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))))
        .finally(schedule);
      return passes;
    },
    flushOnUnload: (last) => sendOnUnload(edgeUrl, outbox, cached, last),
    stats: () => ({ ...stats }),
  };
  addEventListener('online', () => void api.flush());
  void refresh();
  return api;
}
