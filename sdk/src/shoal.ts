import type { Shoal } from './api.js';
import { createApi } from './api.js';
import { withDefaults, type ShoalConfig } from './config.js';
import { assembleCore, type Core } from './core.js';
import { startAutotrack } from './events/autotrack.js';

/** A call made before shoal.js arrived, as the snippet queued it: method, arguments, and its promise's resolver. */
export type QueuedCall = [method: string, args: unknown[], settle?: (value: unknown) => void];

/** What the SDK does by itself once the start-up gate opens: personalise (or not), sync, record page views. */
function startUp(core: Core, api: Shoal): void {
  const { gate, guard, scheduler, delivery, enqueue, config } = core;
  gate.whenOpen(core.applyConsent);
  gate.whenOpen(() => {
    addEventListener('pagehide', () => guard.attempt('sync', scheduler.onPageHide));
    // After the queued calls' storage work: what they dropped or wiped must not go out first.
    void enqueue('sync', async () => {
      if (core.syncBlocked()) await scheduler.cancel();
    }).then(delivery.start);
  });
  if (config.autotrack) {
    gate.whenOpen(() =>
      guard.attempt('autotrack', () =>
        startAutotrack({
          pageView: (path, pageType) => api.track('page_view', { path, pageType }),
          dwell: (ms) => api.track('dwell', { ms }),
          invalid: (reason) => guard.report('autotrack', reason),
        }),
      ),
    );
  }
}

/** Makes the queued calls in order, settling each queued promise with the API's answer. */
function replay(api: Shoal, queued: readonly QueuedCall[]): void {
  for (const [method, args, settle] of queued) {
    const fn = api[method as keyof Shoal] as ((...a: unknown[]) => unknown) | undefined;
    const result = typeof fn === 'function' ? fn(...args) : undefined;
    settle?.(result);
  }
}

/**
 * Starts the SDK on the current page: applies `queued` (calls made before shoal.js arrived) and opens the
 * start-up gate. Every method is guarded: none ever throws into the host page.
 * @example const shoal = createShoal({ edgeUrl, sdkBase, loadScorer }); shoal.track('product_view', {...});
 */
export function createShoal(config: ShoalConfig, queued: readonly QueuedCall[] = []): Shoal {
  const core = assembleCore(withDefaults(config));
  const api = createApi(core);
  startUp(core, api);
  replay(api, queued);
  core.gate.open();
  return api;
}

export type { Shoal, ShoalConfig };
export type { ShoalStatus } from './status.js';
