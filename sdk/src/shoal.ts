import type { Shoal } from './api.js';
import { createApi } from './api.js';
import { withDefaults, type ShoalConfig } from './config.js';
import { assembleCore, type Core } from './core.js';
import { startAutotrack } from './events/autotrack.js';

/** What the SDK does by itself once it runs: personalise (or not), sync on pagehide, record page views. */
function startUp(core: Core, api: Shoal): void {
  const { guard, consent, personaliser, scheduler, config } = core;
  addEventListener('pagehide', () => guard.attempt('sync', scheduler.onPageHide));
  if (consent.personalise) void personaliser.start();
  else personaliser.clear();
  if (config.autotrack) {
    guard.attempt('autotrack', () =>
      startAutotrack({
        pageView: (path) => api.track('page_view', { path }),
        dwell: (ms) => api.track('dwell', { ms }),
      }),
    );
  }
}

/**
 * Starts the SDK on the current page. Every method is guarded: none ever throws into the host page.
 * @example const shoal = createShoal({ edgeUrl, sdkBase, loadScorer }); shoal.track('product_view', {...});
 */
export function createShoal(config: ShoalConfig): Shoal {
  const core = assembleCore(withDefaults(config));
  const api = createApi(core);
  startUp(core, api);
  return api;
}

export type { Shoal, ShoalConfig };
export type { ShoalStatus } from './status.js';
