/**
 * Shoal SDK, ESM entry. Storefronts using a bundler call `createShoal`; the script tag uses browser.ts.
 * @example
 *   import { createShoal } from 'shoal';
 *   const shoal = createShoal({ edgeUrl: 'https://edge.example/', sdkBase: '/shoal/' });
 *   shoal.track('product_view', { productId: 'p1', category: 'jazz', price: 12 });
 */
import { createShoal as createCore, type ShoalConfig, type Shoal } from './shoal.js';

/** Starts Shoal; the ML runtime and the debug overlay are imported lazily, as separate chunks, on first use. */
export function createShoal(
  config: Omit<ShoalConfig, 'loadScorer' | 'loadOverlay'> & Partial<Pick<ShoalConfig, 'loadScorer' | 'loadOverlay'>>,
): Shoal {
  return createCore({
    loadScorer: async (o) => (await import('./ml/runtime.js')).createScorer(o),
    loadOverlay: async () => (await import('./ml/overlay.js')).toggleOverlay,
    ...config,
  });
}

export { FEATURE_NAMES, FEATURE_SPEC } from './contract/index.js';
export type { ShoalConfig, Shoal, ShoalStatus } from './shoal.js';
export type { ShoalEvent, EventType, LineItem, ModelManifest, SyncPayload } from './contract/index.js';
export type { Prediction } from './ml/predict.js';
