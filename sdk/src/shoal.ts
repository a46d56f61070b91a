import { clearCachedScore, readCachedScore, writeCachedScore, type CachedScore } from './blocks/cache.js';
import { applyBlocks, markReady } from './blocks/apply.js';
import type { ShoalEvent } from './contract/events.js';
import { openEventStore, type EventStore } from './events/store.js';
import { toEvent } from './events/validate.js';
import { emptyAggregates, featureVector, type Aggregates } from './features/index.js';
import { createGuard } from './guard.js';
import { anonymousId, forgetAnonymousId } from './identity.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';
import { buildPayload } from './sync/payload.js';
import { sendPayload } from './sync/send.js';

export interface ShoalConfig {
  /** The edge that serves models and receives aggregates, e.g. `https://shoal.example.com/`. */
  edgeUrl: string;
  /** Where shoal-ml.js and the tfjs .wasm files are served. */
  sdkBase: string;
  /** Loads the ML chunk and returns a scorer; injected so the script-tag and ESM builds load it their own way. */
  loadScorer: (options: ScorerOptions) => Promise<Scorer>;
  debug?: boolean;
  /** Record a page_view when the SDK starts. */
  autoPageView?: boolean;
  /** Wait this long after the last event before syncing, so a burst of events becomes one request. */
  syncDelayMs?: number;
}

export interface ShoalStatus {
  backend: string | null;
  model: string | null;
  segment: string | null;
  valueTier: string | null;
  churn: number | null;
  storage: 'indexeddb' | 'memory' | 'opening';
  /** Why nothing is synced, or null when syncing is on. */
  syncBlocked: 'gpc' | null;
  events: number;
  rejected: number;
  synced: number;
  errors: number;
  lastError: string | null;
}

export interface Shoal {
  track(name: string, props?: Record<string, unknown>): void;
  status(): ShoalStatus;
  /** Resolves once everything tracked so far is stored and scored (or scoring has failed for good). */
  ready(): Promise<ShoalStatus>;
  /** Sends the current aggregate now; resolves true when the edge accepted it. */
  flush(): Promise<boolean>;
  /** Deletes everything Shoal stored in this browser. */
  forget(): Promise<void>;
}

const DEFAULTS = { debug: false, autoPageView: true, syncDelayMs: 1000 } satisfies Partial<ShoalConfig>;

/**
 * Starts the SDK on the current page. Every method is guarded: none ever throws into the host page.
 * @example const shoal = createShoal({ edgeUrl, sdkBase, loadScorer }); shoal.track('product_view', {...});
 */
export function createShoal(userConfig: ShoalConfig): Shoal {
  const config = { ...DEFAULTS, ...userConfig };
  const guard = createGuard(config.debug);
  const storage = safeLocalStorage();
  const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  let store: EventStore | null = null;
  let agg: Aggregates = emptyAggregates();
  let scorer: Scorer | null = null;
  let score: (CachedScore & { churn: number | null }) | null = null;
  let rejected = 0;
  let synced = 0;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;

  const cached = readCachedScore(storage);
  if (cached) {
    // Last page's segment, shown before anything async happens: the anti-flicker path for returning shoppers.
    score = { ...cached, churn: null };
    guard.attempt('blocks', () => applyBlocks(document, cached.segment));
    markReady(document);
  }

  // One chain serialises storage work so events are folded in the order they were tracked.
  let chain: Promise<unknown> = guard.attemptAsync('storage', async () => {
    store = await openEventStore();
    agg = await store.aggregates();
  });
  const enqueue = (what: string, fn: () => Promise<unknown>) => {
    chain = chain.then(() => guard.attemptAsync(what, fn));
    return chain;
  };

  const rescore = async () => {
    if (!scorer) return;
    const p = await scorer.score(featureVector(agg, Date.now()));
    score = { segment: p.segment, valueTier: p.valueTier, model: scorer.model, churn: p.churn, at: Date.now() };
    writeCachedScore(storage, score);
    applyBlocks(document, p.segment);
  };

  const scoring = guard
    .attemptAsync('model', async () => {
      scorer = await config.loadScorer({ edgeUrl: config.edgeUrl, wasmPath: config.sdkBase });
      await chain;
      await rescore();
    })
    .finally(() => {
      // Whatever happened, the shopper sees content: the scored variant, the cached one, or the default.
      if (!score) guard.attempt('blocks', () => applyBlocks(document, null));
      markReady(document);
    });

  const sendNow = async (): Promise<boolean> => {
    clearTimeout(syncTimer);
    if (gpc || agg.events === 0) return false;
    const payload = buildPayload(agg, Date.now(), { anonymousId: anonymousId(storage), batchId: crypto.randomUUID() }, score ?? undefined);
    await sendPayload(config.edgeUrl, payload);
    synced++;
    return true;
  };
  const scheduleSync = () => {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => void guard.attemptAsync('sync', sendNow), config.syncDelayMs);
  };

  const record = (event: ShoalEvent) =>
    enqueue('track', async () => {
      agg = store ? await store.append(event) : agg;
      await rescore();
      scheduleSync();
    });

  const status = (): ShoalStatus => ({
    backend: scorer?.backend ?? null,
    model: scorer?.model ?? score?.model ?? null,
    segment: score?.segment ?? null,
    valueTier: score?.valueTier ?? null,
    churn: score?.churn ?? null,
    storage: store?.kind ?? 'opening',
    syncBlocked: gpc ? 'gpc' : null,
    events: agg.events,
    rejected,
    synced,
    errors: guard.errors,
    lastError: guard.lastError,
  });

  const api: Shoal = {
    track(name, props) {
      guard.attempt('track', () => {
        const result = toEvent(name, props, Date.now());
        if (!result.ok) {
          rejected++;
          throw new Error(result.reason);
        }
        void record(result.event);
      });
    },
    status: () => guard.attempt('status', status) ?? status(),
    async ready() {
      await scoring;
      await chain;
      return status();
    },
    async flush() {
      await chain;
      return (await guard.attemptAsync('sync', sendNow)) ?? false;
    },
    async forget() {
      await guard.attemptAsync('forget', async () => {
        await chain;
        await store?.clear();
        agg = emptyAggregates();
        score = null;
        clearCachedScore(storage);
        forgetAnonymousId(storage);
      });
    },
  };

  addEventListener('pagehide', () => void guard.attemptAsync('sync', sendNow));
  if (config.autoPageView) api.track('page_view', { path: location.pathname });
  return api;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
