/**
 * Shoal edge worker: sync intake, model registry, blocks, shopper rights, monitoring and export over HTTP,
 * plus the scheduled sweep (retention, roll-ups) on the cron trigger. Run with `wrangler dev` (see edge/wrangler.toml).
 *
 * @example
 * export default worker; // wrangler's `main`
 */
import { app } from './app.js';
import type { Env } from './env.js';
import { runSweep } from './retention/sweep.js';

const worker = {
  fetch: app.fetch,
  // Awaited rather than waitUntil'd: the sweep is the whole job, and the trigger then reports its outcome.
  async scheduled(controller, env) {
    await runSweep(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;

export default worker;
export type { Env } from './env.js';
