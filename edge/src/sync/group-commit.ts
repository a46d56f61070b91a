/** Options for {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** Most items one write carries; the rest wait for the next write. */
  maxItems: number;
  /**
   * A caller still queued after this long stops waiting for a leader and writes its item alone (a safety
   * net: a leader's request that was torn down would otherwise strand everyone behind it). Default 5,000.
   */
  stallMs?: number;
}

/**
 * Writes `items` in one transaction and returns one result per item, in order. It must be all or nothing:
 * a rejection means nothing was written, so each item can be retried on its own.
 */
export type GroupWriter<C, T, R> = (ctx: C, items: T[]) => Promise<R[]>;

interface Waiter<T, R> {
  item: T;
  settle: { resolve(value: R): void; reject(reason: unknown): void };
  /** Settles once the write carrying `item` has committed or failed. */
  done: Promise<R>;
  /** Called when this waiter is first in line and the previous write has finished: it writes next. */
  lead(): void;
  led: boolean;
  /** Resolves when this waiter settles ('done') or is made leader ('lead'). */
  woken: Promise<'done' | 'lead'>;
}

function waiter<T, R>(item: T): Waiter<T, R> {
  let settle!: Waiter<T, R>['settle'];
  let lead!: () => void;
  const done = new Promise<R>((resolve, reject) => (settle = { resolve, reject }));
  const turn = new Promise<'lead'>((resolve) => (lead = () => resolve('lead')));
  const self: Waiter<T, R> = {
    item,
    settle,
    done,
    lead: () => {
      self.led = true;
      return lead();
    },
    led: false,
    woken: Promise.race([
      done.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      turn,
    ]),
  };
  return self;
}

const TICK_MS = 1_000;

/**
 * Waits for `p`, but never with nothing of its own pending: workerd cancels a request as hung when it only
 * awaits a promise another request will resolve, so a timer ticks meanwhile. Resolves `undefined` on a tick.
 */
function tick<V>(p: Promise<V>, ms: number): Promise<V | undefined> {
  let cancel = () => {};
  const elapsed = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => clearTimeout(timer);
  });
  return Promise.race([p, elapsed]).finally(() => cancel());
}

/**
 * Group commit: at most one write is in flight; whatever arrives meanwhile waits and goes out together in the
 * next write, so under load many requests share one transaction while a lone request is written at once (no
 * timer, no added latency when idle). Each caller's promise settles only after the write carrying its item
 * has committed.
 *
 * The next write is made by the first waiting caller with its own `ctx`, never on behalf of another caller:
 * on Workers each request's I/O belongs to that request, and a request that has answered may be torn down.
 * If a group's write fails, its items are written one at a time, so one bad item fails only its own caller.
 *
 * @example
 * const submit = createGroupCommit((db: D1Database, rows: Row[]) => writeRows(db, rows), { maxItems: 12 });
 * const result = await submit(env.DB, row); // resolves once `row` is committed
 */
export function createGroupCommit<C, T, R>(
  write: GroupWriter<C, T, R>,
  { maxItems, stallMs = 5_000 }: GroupCommitOptions,
): (ctx: C, item: T) => Promise<R> {
  const queue: Waiter<T, R>[] = [];
  let busy = false;

  async function writeGroup(ctx: C, group: Waiter<T, R>[]): Promise<void> {
    try {
      const results = await write(
        ctx,
        group.map((w) => w.item),
      );
      group.forEach((w, i) => {
        w.settle.resolve(results[i]!);
      });
    } catch (err) {
      if (group.length === 1) return group[0]!.settle.reject(err);
      for (const w of group) await writeGroup(ctx, [w]);
    }
  }

  return async (ctx, item) => {
    const self = waiter<T, R>(item);
    queue.push(self);
    if (busy) {
      // Either a leader's write carries this item, or this caller becomes the leader of the next write.
      const since = Date.now();
      for (;;) {
        const woken = await tick(self.woken, Math.min(TICK_MS, stallMs));
        if (woken === 'done') return self.done;
        if (woken === 'lead' || self.led) break;
        const at = queue.indexOf(self);
        if (at >= 0 && Date.now() - since >= stallMs) {
          // Stranded: write alone, leaving the queue and its leadership as they are.
          queue.splice(at, 1);
          await writeGroup(ctx, [self]);
          return self.done;
        }
      }
    }
    busy = true;
    const group = queue.splice(0, maxItems);
    try {
      await writeGroup(ctx, group);
    } finally {
      if (queue.length > 0) queue[0]!.lead();
      else busy = false;
    }
    return self.done;
  };
}
