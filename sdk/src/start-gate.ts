/**
 * The one start-up gate. What the SDK does by itself when a page starts (show the cached segment, run the
 * model, fetch block content, send what earlier pages left in the outbox, record the page view) waits here
 * until the calls a storefront queued before shoal.js arrived, and the consent they set, are applied. A
 * later start-up step (control groups, a consent platform) is added here rather than starting on its own.
 */
export interface StartGate {
  /** Runs `task` when the gate opens, after the tasks added before it; at once if it is open. A task added again while waiting runs once. */
  whenOpen(task: () => void): void;
  /** Settles when the gate opens. */
  readonly opened: Promise<void>;
  /** The queued calls have been made: run the start-up tasks. */
  open(): void;
}

export function createStartGate(): StartGate {
  let waiting: Set<() => void> | null = new Set();
  let opened: () => void = () => undefined;
  return {
    whenOpen(task) {
      if (waiting) waiting.add(task);
      else task();
    },
    opened: new Promise<void>((resolve) => {
      opened = resolve;
    }),
    open() {
      const tasks = waiting ?? [];
      waiting = null;
      for (const task of tasks) task();
      opened();
    },
  };
}
