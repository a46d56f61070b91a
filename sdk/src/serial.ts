import type { Guard } from './guard.js';

/**
 * Runs `fn` after every step enqueued before it and resolves when it has run: one chain for the SDK's
 * storage work, so events are folded in the order they were tracked and a wipe never interleaves with an
 * append. Each step is guarded: a failed step is counted and the chain goes on.
 */
export type Enqueue = <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>;

export function createSerial(guard: Guard): Enqueue {
  let chain: Promise<unknown> = Promise.resolve();
  return (what, fn) => {
    const step = chain.then(() => guard.attemptAsync(what, fn));
    chain = step;
    return step;
  };
}
