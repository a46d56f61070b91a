import { readConsent, syncBlockedBy, writeConsent, type Consent } from './consent.js';
import type { toggleOverlay } from './debug.js';
import type { ShoalEvent } from './contract/events.js';
import { startAutotrack } from './events/autotrack.js';
import { openEventStore, type EventStore } from './events/store.js';
import { toEvent } from './events/validate.js';
import { emptyAggregates, featureVector, type Aggregates } from './features/index.js';
import { createGuard } from './guard.js';
import { anonymousId, forgetIdentity, identifyUser, rememberAnonymousId, userIdHash } from './identity.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';
import { createPersonaliser } from './personalise.js';
import { createDelivery, type Delivery, type DeliveryStats } from './sync/delivery.js';
import { buildPayload } from './sync/payload.js';
import { emptyInterest, type ProductInterest } from './recs/interest.js';

export interface ShoalConfig {
  /** The edge that serves models and receives aggregates, e.g. `https://shoal.example.com/`. */
  edgeUrl: string;
  /** Where shoal-ml.js and the tfjs .wasm files are served. */
  sdkBase: string;
  /** Loads the ML chunk and returns a scorer; injected so the script-tag and ESM builds load it their own way. */
  loadScorer: (options: ScorerOptions) => Promise<Scorer>;
  /** Loads the debug overlay on demand: few pages ever show it, so it stays out of the core. */
  loadOverlay: () => Promise<typeof toggleOverlay>;
  debug?: boolean;
  /** Record page views (including History API navigations) and dwell time without being asked. */
  autotrack?: boolean;
  /** Wait this long after the last event before queueing a snapshot, so a burst becomes one batch. */
  syncDelayMs?: number;
  /** Consent until the shopper says otherwise through `consent()`. */
  defaultConsent?: Consent;
  /** Per-store salt for hashing user ids in `identify()`. */
  salt?: string;
}

export interface ShoalStatus {
  /**
   * 'ready' once shoal.js runs. Before that the snippet answers 'loading', and 'failed' when shoal.js did not
   * arrive (blocked, unreachable, or not there within the snippet's timeout), with nothing in force.
   */
  state: 'loading' | 'ready' | 'failed';
  backend: string | null;
  /** Why that backend: skipped candidates, failures, and what each measured per row. */
  backendReason: string | null;
  /** Set when the edge's current model was refused (spec, checksum, unreachable) and the last good one runs. */
  modelRefused: string | null;
  model: string | null;
  segment: string | null;
  /** True when `segment` is a merchandiser's preview (?shoal_segment= or cookie), not this shopper's. */
  preview: boolean;
  valueTier: string | null;
  churn: number | null;
  storage: 'indexeddb' | 'memory' | 'opening';
  consent: Consent;
  /** Why nothing is synced, or null when syncing is on. `preview`: a merchandiser's preview is not a shopper. */
  syncBlocked: 'gpc' | 'consent' | 'preview' | null;
  identified: boolean;
  events: number;
  rejected: number;
  /** Batches the edge has accepted from this page. */
  synced: number;
  outbox: DeliveryStats;
  errors: number;
  lastError: string | null;
}

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
  /** Toggles an overlay with the segment, tier, churn risk, backend, model and the features behind them. */
  debug(): Promise<void>;
}

const DEFAULTS = {
  debug: false,
  autotrack: true,
  syncDelayMs: 1000,
  defaultConsent: { personalise: true, sync: true },
} satisfies Partial<ShoalConfig>;

/**
 * Starts the SDK on the current page. Every method is guarded: none ever throws into the host page.
 * @example const shoal = createShoal({ edgeUrl, sdkBase, loadScorer }); shoal.track('product_view', {...});
 */
export function createShoal(userConfig: ShoalConfig): Shoal {
  const config = { ...DEFAULTS, ...userConfig };
  const guard = createGuard(config.debug);
  const storage = safeLocalStorage();
  let consent = readConsent(storage, config.defaultConsent);
  let store: EventStore | null = null;
  let delivery: Delivery | null = null;
  let agg: Aggregates = emptyAggregates();
  let interest: ProductInterest = emptyInterest();
  let rejected = 0;
  let snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  const personaliser = createPersonaliser({
    storage,
    guard,
    load: () => config.loadScorer({ edgeUrl: config.edgeUrl, wasmPath: config.sdkBase }),
    edgeUrl: config.edgeUrl,
  });

  // A merchandiser previewing a segment (dashboard iframe, ?shoal_segment=) browses as nobody: nothing syncs.
  const syncBlocked = () => (personaliser.preview !== null ? 'preview' : syncBlockedBy(consent));
  // The id the stored aggregate goes by, as the event store last settled it (pagehide has no time to ask).
  let aid: string | undefined;
  // Re-reads the store, which another tab may have appended to, and the id it settled on: forget() in another
  // tab hands the store to a new id, and this tab must not sync as the old one.
  const readStore = async () => {
    if (!store) {
      aid = anonymousId(storage);
      return aid;
    }
    ({ aggregates: agg, interest, id: aid } = await store.read(anonymousId(storage)));
    rememberAnonymousId(storage, aid);
    return aid;
  };
  // One chain serialises storage work so events are folded in the order they were tracked.
  let chain: Promise<unknown> = guard.attemptAsync('storage', async () => {
    store = await openEventStore();
    await readStore();
    delivery = createDelivery({
      edgeUrl: config.edgeUrl,
      outbox: store.outbox,
      onError: (e) => guard.report('sync', e),
    });
  });
  const enqueue = (what: string, fn: () => Promise<unknown>) => {
    chain = chain.then(() => guard.attemptAsync(what, fn));
    return chain;
  };

  const snapshot = () => {
    const payload = buildPayload(
      agg,
      interest,
      Date.now(),
      { anonymousId: aid ?? anonymousId(storage), batchId: crypto.randomUUID() },
      personaliser.score() ?? undefined,
    );
    const hash = userIdHash(storage);
    return hash ? { ...payload, userIdHash: hash } : payload;
  };
  const queueSnapshot = async () => {
    clearTimeout(snapshotTimer);
    if (syncBlocked() || !delivery || !store) return;
    await readStore();
    if (agg.events > 0) await delivery.enqueueSnapshot(snapshot());
  };

  let snapshotDue = false;
  let lastRescore: Promise<void> = Promise.resolve();
  // track() only validates and buffers; one drain per burst stores the events in a single transaction, so
  // the host page pays microseconds per call and the storage work happens off its critical path.
  let buffer: ShoalEvent[] = [];
  const drain = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    if (store) ({ aggregates: agg, interest } = await store.append(batch));
    if (consent.personalise) lastRescore = personaliser.rescoreSoon(() => agg);
    clearTimeout(snapshotTimer);
    snapshotDue = true;
    snapshotTimer = setTimeout(() => {
      snapshotDue = false;
      void enqueue('sync', queueSnapshot);
    }, config.syncDelayMs);
  };
  const record = (event: ShoalEvent) => {
    buffer.push(event);
    if (buffer.length === 1) void enqueue('track', drain);
  };
  const onPageHide = () => {
    const last = snapshotDue && !syncBlocked() ? snapshot() : undefined;
    delivery?.flushOnUnload(last);
  };

  const wipeLocal = async () => {
    clearTimeout(snapshotTimer);
    snapshotDue = false;
    await delivery?.dropSnapshots();
    forgetIdentity(storage);
    aid = anonymousId(storage);
    await store?.clear(aid);
    agg = emptyAggregates();
    interest = emptyInterest();
    personaliser.clear();
  };

  const status = (): ShoalStatus => {
    const score = personaliser.score();
    const outbox = delivery?.stats() ?? { delivered: 0, pending: 0, retries: 0, dropped: 0 };
    return {
      state: 'ready',
      backend: personaliser.scorer()?.backend ?? null,
      backendReason: personaliser.scorer()?.backendReason ?? null,
      modelRefused: personaliser.scorer()?.modelRefused ?? null,
      model: personaliser.scorer()?.model ?? score?.model ?? null,
      segment: personaliser.preview ?? score?.segment ?? null,
      preview: personaliser.preview !== null,
      valueTier: score?.valueTier ?? null,
      churn: score?.churn ?? null,
      storage: store?.kind ?? 'opening',
      consent: { ...consent },
      syncBlocked: syncBlocked(),
      identified: userIdHash(storage) !== null,
      events: agg.events,
      rejected,
      synced: outbox.delivered,
      outbox,
      errors: guard.errors,
      lastError: guard.lastError,
    };
  };

  const api: Shoal = {
    track(name, props) {
      guard.attempt('track', () => {
        if (!consent.personalise && !consent.sync) return;
        const result = toEvent(name, props, Date.now());
        if (!result.ok) {
          rejected++;
          throw new Error(result.reason);
        }
        record(result.event);
      });
    },
    identify(userId) {
      guard.attempt('identify', () => {
        if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256)
          throw new Error('identify: userId must be a 1–256 character string');
        void enqueue('identify', () => identifyUser(storage, config.salt ?? new URL(config.edgeUrl).origin, userId));
      });
    },
    consent(choice) {
      guard.attempt('consent', () => {
        const next = { ...consent };
        for (const key of ['personalise', 'sync'] as const)
          if (typeof choice?.[key] === 'boolean') next[key] = choice[key];
        consent = next;
        writeConsent(storage, consent);
        if (!consent.personalise) personaliser.clear();
        else void personaliser.start(() => agg);
        if (syncBlocked()) void enqueue('consent', async () => delivery?.dropSnapshots());
      });
    },
    reset() {
      guard.attempt('reset', () => void enqueue('reset', wipeLocal));
    },
    status: () => guard.attempt('status', status) ?? status(),
    async ready() {
      if (consent.personalise) await personaliser.start(() => agg);
      await chain;
      await lastRescore;
      return status();
    },
    async flush() {
      await enqueue('sync', queueSnapshot);
      await guard.attemptAsync('sync', async () => delivery?.flush());
      return !syncBlocked() && (delivery?.stats().pending ?? 1) === 0;
    },
    async debug() {
      await guard.attemptAsync('debug', async () => {
        await api.ready();
        const scorer = personaliser.scorer();
        const why = scorer && consent.personalise ? await scorer.explain(featureVector(agg, Date.now())) : [];
        (await config.loadOverlay())(document, status(), why);
      });
    },
    async forget() {
      await enqueue('forget', async () => {
        const id = await readStore();
        await wipeLocal();
        await delivery?.enqueueErase(id);
      });
    },
  };

  addEventListener('pagehide', () => guard.attempt('sync', onPageHide));
  if (consent.personalise) void personaliser.start(() => agg);
  else personaliser.clear();
  if (config.autotrack) {
    guard.attempt('autotrack', () =>
      startAutotrack({
        pageView: (path) => api.track('page_view', { path }),
        dwell: (ms) => api.track('dwell', { ms }),
      }),
    );
  }
  return api;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
