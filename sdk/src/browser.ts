import type { toggleOverlay } from './ml/overlay.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';
import { createShoal, type QueuedCall, type Shoal } from './shoal.js';
import { withTimeout } from './timeout.js';

/**
 * Script-tag entry. The snippet left `window.shoal = { q: [[method, args, settle?], …] }`; this replaces it
 * with the real API and replays the queue in order, settling each queued promise with the SDK's answer. Configuration comes from the tag's data- attributes:
 * `data-edge` (required), `data-debug`, `data-consent-default="denied"`, `data-salt`, `data-autotrack="false"`.
 */
declare global {
  interface Window {
    shoal?: Shoal | { q?: QueuedCall[] };
  }
}

const ML_LOAD_TIMEOUT_MS = 20_000;
/** The ML chunk also loads the debug overlay (a chunk beside it): it needs the model anyway and keeps the core small. */
type MlModule = {
  createScorer(options: ScorerOptions): Promise<Scorer>;
  loadOverlay(): Promise<typeof toggleOverlay>;
};

/** The ML entry's content-hashed file name, written in by the build (rollup.config.mjs). */
declare const __SHOAL_ML_ENTRY__: string;

/** The ML chunk is an ES module beside shoal.js; `import()` works from this classic script too. */
function loadMlChunk(base: string): Promise<MlModule> {
  const url = new URL(`ml/${__SHOAL_ML_ENTRY__}`, base).href;
  return withTimeout(
    import(/* webpackIgnore: true */ url) as Promise<MlModule>,
    ML_LOAD_TIMEOUT_MS,
    `loading ${url}`,
  ).then((m) => {
    performance.mark('shoal:ml-loaded');
    return m;
  });
}

function start(): void {
  // Marks in the Performance timeline, so storefront developers can see what Shoal costs their pages.
  performance.mark('shoal:start');
  const tag = document.currentScript as HTMLScriptElement | null;
  const edgeUrl = tag?.dataset.edge;
  if (!tag || !edgeUrl) {
    console.warn('[shoal] the script tag needs data-edge="https://your-edge/"; Shoal is off');
    return;
  }
  const sdkBase = new URL('.', tag.src).href;
  const queued = (window.shoal as { q?: QueuedCall[] } | undefined)?.q ?? [];
  const denied = tag.dataset.consentDefault === 'denied';
  const shoal = createShoal(
    {
      edgeUrl,
      sdkBase,
      debug: tag.dataset.debug !== undefined,
      autotrack: tag.dataset.autotrack !== 'false',
      defaultConsent: { personalise: !denied, sync: !denied },
      ...(tag.dataset.salt ? { salt: tag.dataset.salt } : {}),
      loadScorer: async (options) => (await loadMlChunk(sdkBase)).createScorer(options),
      loadOverlay: async () => (await loadMlChunk(sdkBase)).loadOverlay(),
    },
    queued,
  );
  window.shoal = shoal;
}

try {
  start();
} catch (e) {
  console.warn('[shoal] failed to start', e);
}
