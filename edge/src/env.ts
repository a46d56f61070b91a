/**
 * The worker's bindings, as wrangler.toml declares them.
 *
 * @example
 * const app = new Hono<AppEnv>();
 * app.get('/x', (c) => c.text(c.env.ALLOWED_ORIGINS ?? ''));
 */
export interface Env {
  DB: D1Database;
  KV: KVNamespace;
  MODELS: R2Bucket;
  /** Bearer token for publish and admin routes; empty or unset disables them (503). */
  PUBLISH_TOKEN?: string;
  /** Comma-separated storefront origins allowed to sync; `*` for local development. */
  ALLOWED_ORIGINS?: string;
}

/** Hono's environment type for this worker. */
export interface AppEnv {
  Bindings: Env;
}
