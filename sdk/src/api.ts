import { updateConsent, type Consent } from './consent.js';
import type { Core } from './core.js';
import { localFeatureVector } from './features/index.js';
import { identifyUser, userIdHash } from './identity.js';
import type { ShoalStatus } from './status.js';

export interface Shoal {
  track(name: string, props?: Record<string, unknown>): void;
  identify(userId: string): void;
  consent(choice: Partial<Consent>): void;
  /** Logs the shopper out on this device: new anonymous id, local behaviour wiped (nothing erased remotely). */
  reset(): void;
  status(): ShoalStatus;
  /** Resolves once everything tracked so far is stored and scored (or scoring has failed for good). */
  ready(): Promise<ShoalStatus>;
  /** Queues the current aggregate and delivers now; true when syncing is allowed and nothing is left waiting. */
  flush(): Promise<boolean>;
  /** Wipes everything Shoal stored in this browser and asks the edge to erase the shopper. */
  forget(): Promise<void>;
  /** Toggles an overlay with the segment, tier, churn risk, intent, backend, model and the features behind them. */
  debug(): Promise<void>;
}

/** What `shoal.status()` answers once shoal.js runs. */
function statusOf(core: Core): ShoalStatus {
  const { personaliser, consent, delivery, shopper, recorder, guard, storage, syncBlocked } = core;
  const score = personaliser.score();
  const scorer = personaliser.scorer();
  const outbox = delivery.stats();
  return {
    state: 'ready',
    backend: scorer?.backend ?? null,
    backendReason: scorer?.backendReason ?? null,
    modelRefused: scorer?.modelRefused ?? null,
    model: scorer?.model ?? score?.model ?? null,
    segment: personaliser.preview ?? score?.segment ?? null,
    preview: personaliser.preview !== null,
    valueTier: score?.valueTier ?? null,
    churn: score?.churn ?? null,
    intent: score?.intent ?? null,
    implausible: score?.implausible ?? null,
    storage: shopper.storage,
    consent: { ...consent },
    syncBlocked: syncBlocked(),
    identified: userIdHash(storage) !== null,
    events: shopper.aggregates.events,
    rejected: recorder.rejected,
    synced: outbox.delivered,
    outbox,
    errors: guard.errors,
    lastError: guard.lastError,
  };
}

const validUserId = (userId: unknown): userId is string =>
  typeof userId === 'string' && userId.length > 0 && userId.length <= 256;

/** The public API over the SDK's parts. Every call is guarded: none ever throws into the host page. */
export function createApi(core: Core): Shoal {
  const { guard, consent, recorder, enqueue, storage, config, personaliser, shopper, scheduler, delivery, gate } = core;
  const status = () => guard.attempt('status', () => statusOf(core)) ?? statusOf(core);
  const ready = async () => {
    await gate.opened;
    if (consent.personalise) await personaliser.start();
    await enqueue('ready', async () => undefined);
    await personaliser.rescored();
    return status();
  };
  const wipeLocal = async () => {
    await scheduler.cancel();
    await shopper.wipe();
    personaliser.clear();
  };
  return {
    track: (name, props) =>
      guard.attempt('track', () => {
        if (consent.personalise || consent.sync) recorder.track(name, props);
      }),
    identify: (userId) =>
      guard.attempt('identify', () => {
        if (!validUserId(userId)) throw new Error('identify: userId must be a 1–256 character string');
        const salt = config.salt ?? new URL(config.edgeUrl).origin;
        void enqueue('identify', () => identifyUser(storage, salt, userId));
      }),
    consent: (choice) =>
      guard.attempt('consent', () => {
        updateConsent(storage, consent, choice);
        gate.whenOpen(core.applyConsent);
        if (core.syncBlocked()) void enqueue('consent', scheduler.cancel);
        // A snapshot still waiting carries what the model said before personalisation was withheld: it must not
        // leave now. Dropping it loses nothing, since the next snapshot carries the whole aggregate again.
        else if (!consent.personalise) void enqueue('consent', delivery.dropSnapshots);
      }),
    reset: () =>
      guard.attempt('reset', () => {
        // At once, so that a segment cached for the last shopper is never shown at start-up.
        personaliser.clear();
        void enqueue('reset', wipeLocal);
      }),
    async forget() {
      guard.attempt('forget', personaliser.clear);
      await enqueue('forget', async () => {
        const id = await shopper.refresh();
        await wipeLocal();
        await delivery.enqueueErase(id);
      });
    },
    status,
    ready,
    async flush() {
      await enqueue('sync', scheduler.queue);
      await guard.attemptAsync('sync', delivery.flush);
      return !core.syncBlocked() && delivery.stats().pending === 0;
    },
    debug: () =>
      guard
        .attemptAsync('debug', async () => {
          await ready();
          const scorer = personaliser.scorer();
          const features = localFeatureVector(shopper.aggregates, Date.now());
          const why = scorer && consent.personalise ? await scorer.explain(features) : [];
          (await config.loadOverlay())(document, status(), why);
        })
        .then(() => undefined),
  };
}
