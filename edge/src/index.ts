/**
 * Shoal edge worker: sync intake, model registry, profiles. Run with `wrangler dev` (see edge/wrangler.toml).
 *
 * @example
 * export default app; // wrangler's `main`
 */
import { app } from './app.js';

export default app;
export type { Env } from './env.js';
