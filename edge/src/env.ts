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
  /** Per client IP (`CF-Connecting-IP`): every storefront write and public erasure. */
  RATE_LIMIT_IP: RateLimit;
  /** Per anonymous id: syncs of one shopper. */
  RATE_LIMIT_SHOPPER: RateLimit;
  /** Bearer token for publish and admin routes; empty or unset disables them (503). */
  PUBLISH_TOKEN?: string;
  /**
   * Named publish tokens, comma-separated `name:token` (a secret): each works like `PUBLISH_TOKEN`, and the
   * name is recorded on what its holder publishes or rolls back. `PUBLISH_TOKEN` counts as the name `default`.
   */
  PUBLISH_TOKENS?: string;
  /** Comma-separated storefront origins allowed to sync; `*` for local development. */
  ALLOWED_ORIGINS?: string;
  /** Days a shopper's aggregate is kept after its last update; fractions allowed. */
  RETENTION_DAYS?: string;
  /**
   * Days a batch id is kept for idempotency (default 8): at least the SDK's retry window, after which no
   * browser sends that batch again. Fractions allowed.
   */
  BATCH_RETENTION_DAYS?: string;
  /** Days an erasure's tombstone refuses syncs of the erased shopper (default 30); fractions allowed. */
  ERASURE_RETENTION_DAYS?: string;
  /**
   * Secret (at least 32 characters) keying every identifier the edge stores about a person: the user-id
   * hash (stored as an HMAC of the browser's hash) and erasure tombstones. Changing it unlinks stored
   * user ids from their people, so set it once.
   */
  ID_PEPPER?: string;
  /** Secret (at least 32 characters) that dashboard session keys are derived from; changing it signs everyone out. */
  SESSION_SECRET?: string;
  /** Recommendations: distinct shoppers a product needs before any list shows it (default 3). */
  RECS_MIN_SHOPPERS?: string;
  /** Recommendations: only shoppers active in this many days count (default 30). */
  RECS_DAYS?: string;
  /** Recommendations: seconds a computed table is served before it is recomputed (default 300; 0 = always). */
  RECS_TTL_SECONDS?: string;
  /**
   * Hosts block images may come from besides the shop's own (`STOREFRONT_URL`, `ALLOWED_ORIGINS`),
   * comma-separated, e.g. `cdn.shop.example`: anything else could be a third party's tracking pixel.
   */
  IMAGE_HOSTS?: string;
  /** The storefront the dashboard previews (an origin); unset, the first origin in `ALLOWED_ORIGINS`. */
  STOREFRONT_URL?: string;
}

/** Hono's environment type for this worker. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The authenticated publisher's name (`requireToken()` or a dashboard session), for attribution. */
    publisher: string;
  };
}
