import { Hono } from 'hono';
import type { Recommendations } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import type { AppEnv, Env } from '../env.js';
import { publicCors } from '../middleware/cors.js';
import { notModified } from '../middleware/etag.js';
import { sha256Hex } from '../sha256.js';
import { popularProducts } from './popular.js';

const CACHE_KEY = 'recs:current';
const DEFAULTS = { minShoppers: 3, days: 30, ttlSeconds: 300 };

interface Stored {
  at: number;
  etag: string;
  body: string;
}

/** A non-negative number from a var, else the default: a typo in wrangler.toml must not take the route down. */
const setting = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

async function compute(env: Env, now: number): Promise<Stored> {
  const recs: Recommendations = await popularProducts(
    env.DB,
    {
      minShoppers: Math.max(1, setting(env.RECS_MIN_SHOPPERS, DEFAULTS.minShoppers)),
      sinceMs: now - setting(env.RECS_DAYS, DEFAULTS.days) * DAY_MS,
    },
    now,
  );
  const body = JSON.stringify(recs);
  const hash = await sha256Hex(new TextEncoder().encode(body.replace(/"generatedAt":"[^"]*"/, '')));
  const etag = `"recs-${hash.slice(0, 16)}"`;
  return { at: now, etag, body };
}

/**
 * `GET /v1/recommendations`: public, like the block configuration. The table is a scan over recent
 * profiles, so it is computed at most once per `RECS_TTL_SECONDS` and kept in KV; a stale copy is served
 * while a fresh one is computed after the response (stale-while-revalidate), so no shopper waits on it.
 * The ETag ignores `generatedAt`: a recomputation that changes nothing keeps browsers' copies valid.
 *
 * @example
 * app.route('/v1/recommendations', recsRoutes);
 */
export const recsRoutes = new Hono<AppEnv>().use('/', publicCors()).get('/', async (c) => {
  const now = Date.now();
  const ttlMs = setting(c.env.RECS_TTL_SECONDS, DEFAULTS.ttlSeconds) * 1000;
  const refresh = () =>
    compute(c.env, now).then(async (fresh) => {
      await c.env.KV.put(CACHE_KEY, JSON.stringify(fresh));
      return fresh;
    });
  let stored = ttlMs > 0 ? await c.env.KV.get<Stored>(CACHE_KEY, 'json') : null;
  if (!stored) stored = await refresh();
  else if (now - stored.at >= ttlMs) c.executionCtx.waitUntil(refresh());
  c.header('ETag', stored.etag);
  c.header('Cache-Control', `public, max-age=${Math.round(ttlMs / 1000)}`);
  if (notModified(c.req.header('If-None-Match'), stored.etag)) return c.body(null, 304);
  return c.body(stored.body, 200, { 'Content-Type': 'application/json' });
});
