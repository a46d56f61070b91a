/**
 * Shoal edge worker: sync intake, model registry, blocks, shopper rights, monitoring and export over HTTP,
 * plus the daily retention sweep on the cron trigger. Run with `wrangler dev` (see edge/wrangler.toml).
 *
 * @example
 * export default worker; // wrangler's `main`
 */
import { app } from './app.js';
import type { Env } from './env.js';
import { runRetention } from './retention/purge.js';

const worker = {
  fetch: app.fetch,
  // Awaited rather than waitUntil'd: the sweep is the whole job, and the trigger then reports its outcome.
  async scheduled(controller, env) {
    await runRetention(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;

export default worker;
export type { Env } from './env.js';
