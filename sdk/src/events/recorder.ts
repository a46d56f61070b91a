import type { ShoalEvent } from '../contract/events.js';
import { toEvent } from './validate.js';

/**
 * `track()` only validates and buffers; one drain per burst stores the events in a single transaction, so
 * the host page pays microseconds per call and the storage work happens off its critical path.
 */
export interface Recorder {
  /** Buffers a valid event; throws (after counting it) why an invalid one was refused. */
  track(name: string, props: Record<string, unknown> | undefined): void;
  /** Calls refused as invalid on this page. */
  readonly rejected: number;
}

export function createRecorder(opts: {
  /** Schedules the drain in the SDK's storage chain. */
  enqueue: (what: string, fn: () => Promise<void>) => unknown;
  /** At the end of the task that tracked them, before they are stored: fold in memory, re-score. */
  recorded: (events: readonly ShoalEvent[]) => void;
  /** Stores a batch of events, in order. */
  append: (events: readonly ShoalEvent[]) => Promise<void>;
  /** After each stored batch: sync later. */
  stored: () => void;
}): Recorder {
  let buffer: ShoalEvent[] = [];
  let unreported: ShoalEvent[] = [];
  const report = () => {
    const events = unreported;
    unreported = [];
    opts.recorded(events);
  };
  let rejected = 0;
  const drain = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    await opts.append(batch);
    opts.stored();
  };
  return {
    track(name, props) {
      const result = toEvent(name, props, Date.now());
      if (!result.ok) {
        rejected++;
        throw new Error(result.reason);
      }
      buffer.push(result.event);
      unreported.push(result.event);
      if (unreported.length === 1) queueMicrotask(report);
      if (buffer.length === 1) opts.enqueue('track', drain);
    },
    get rejected() {
      return rejected;
    },
  };
}
