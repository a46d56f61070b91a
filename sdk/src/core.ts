import type { Config } from './config.js';
import { readConsent, syncBlockedBy, type Consent } from './consent.js';
import { openDatabase } from './db.js';
import { createRecorder, type Recorder } from './events/recorder.js';
import { createGuard, type Guard } from './guard.js';
import { userIdHash } from './identity.js';
import { createPersonaliser, type Personaliser } from './personalise.js';
import { createSerial, type Enqueue } from './serial.js';
import { createShopper, type Shopper } from './shopper.js';
import { createDelivery, type Delivery } from './sync/delivery.js';
import { openOutbox } from './sync/outbox.js';
import { createSyncScheduler, type SyncScheduler } from './sync/scheduler.js';
import { createStartGate, type StartGate } from './start-gate.js';

/** The SDK's parts on one page, wired together; the public API (api.ts) and status (status.ts) read them. */
export interface Core {
  config: Config;
  guard: Guard;
  storage: Storage | undefined;
  /** The consent in force (updated in place by `consent()`). */
  consent: Consent;
  personaliser: Personaliser;
  enqueue: Enqueue;
  shopper: Shopper;
  recorder: Recorder;
  scheduler: SyncScheduler;
  delivery: Delivery;
  gate: StartGate;
  /** Why nothing may be synced now, or null. */
  syncBlocked(): 'gpc' | 'consent' | 'preview' | null;
  /** Personalises, or shows default content, as the consent in force says (a start-up task). */
  applyConsent(): void;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Events are folded in memory and re-scored at the end of the task that tracked them, and stored in the
 * storage chain: IndexedDB (a commit can take tens of ms, and the chain waits for the one before) stays off
 * the path to the new score.
 */
function recordAndScore(parts: {
  enqueue: Enqueue;
  guard: Guard;
  shopper: Shopper;
  consent: Consent;
  personaliser: Personaliser;
  scheduler: SyncScheduler;
}): Recorder {
  const { guard, shopper, consent, personaliser } = parts;
  return createRecorder({
    enqueue: parts.enqueue,
    recorded(events) {
      guard.attempt('score', () => shopper.record(events));
      if (consent.personalise) void personaliser.rescoreSoon();
    },
    append: shopper.append,
    stored: parts.scheduler.soon,
  });
}

/**
 * Settles once the start-up gate has opened and the storage work queued before it is done: the stored history
 * is read (a returning shopper is never scored on this page's events alone) and a reset or forget queued
 * before load has wiped the last shopper (who is never scored).
 */
const startedUp = (gate: StartGate, enqueue: Enqueue) =>
  new Promise<void>((resolve) => gate.whenOpen(() => void enqueue('start-up', async () => resolve())));

/** Builds the parts and starts opening the shopper's database (the first step of the storage chain). */
export function assembleCore(config: Config): Core {
  const guard = createGuard(config.debug);
  const storage = safeLocalStorage();
  const consent = readConsent(storage, config.defaultConsent);
  const enqueue = createSerial(guard);
  const shopper = createShopper(storage);
  const gate = createStartGate();
  const database = openDatabase();
  void enqueue('storage', async () => shopper.open(await database));
  const started = startedUp(gate, enqueue);
  const personaliser = createPersonaliser({
    storage,
    guard,
    load: () => config.loadScorer({ edgeUrl: config.edgeUrl, wasmPath: config.sdkBase }),
    edgeUrl: config.edgeUrl,
    // In memory (events are folded as they are tracked), so after start-up no score waits for IndexedDB.
    aggregates: () => started.then(() => shopper.aggregates),
  });
  // A merchandiser previewing a segment (dashboard iframe, ?shoal_segment=) browses as nobody: nothing syncs.
  const syncBlocked = () => (personaliser.preview !== null ? 'preview' : syncBlockedBy(consent));
  const delivery = createDelivery({
    edgeUrl: config.edgeUrl,
    outbox: openOutbox(database),
    onError: (e) => guard.report('sync', e),
  });
  const scheduler = createSyncScheduler({
    delayMs: config.syncDelayMs,
    delivery,
    shopper,
    blocked: syncBlocked,
    score: () => personaliser.score() ?? undefined,
    userIdHash: () => userIdHash(storage),
    enqueue,
  });
  const recorder = recordAndScore({ enqueue, guard, shopper, consent, personaliser, scheduler });
  const applyConsent = () =>
    guard.attempt('consent', () => (consent.personalise ? void personaliser.start() : personaliser.stop()));
  return {
    config,
    guard,
    storage,
    consent,
    personaliser,
    enqueue,
    shopper,
    recorder,
    scheduler,
    delivery,
    gate,
    syncBlocked,
    applyConsent,
  };
}
