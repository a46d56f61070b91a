import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env.js';
import { EdgeError } from '../errors.js';

/** The window both bindings are configured with in wrangler.toml; a client may retry after it. */
export const RATE_WINDOW_SECONDS = 60;

type LimiterName = 'RATE_LIMIT_IP' | 'RATE_LIMIT_SHOPPER';

/**
 * Counts one request against `key` and throws 429 `rate_limited` (with `Retry-After`) once the key's budget
 * for the window is spent. The counter lives in Cloudflare's rate limiting binding, so the worker keeps no
 * state of its own and `wrangler dev --local` enforces the same limits in memory.
 *
 * @example
 * await enforceLimit(c.env, 'RATE_LIMIT_SHOPPER', payload.anonymousId);
 */
export async function enforceLimit(env: Env, limiter: LimiterName, key: string): Promise<void> {
  const { success } = await env[limiter].limit({ key });
  if (!success) {
    throw new EdgeError(429, 'rate_limited', 'Too many requests; retry later', {
      'Retry-After': String(RATE_WINDOW_SECONDS),
    });
  }
}

/**
 * The client's address as Cloudflare reports it. In production Cloudflare sets `CF-Connecting-IP` itself
 * (a client cannot forge it); `wrangler dev` sets it to the socket's peer unless the request carries one.
 *
 * @example
 * clientIp(c); // '203.0.113.7'
 */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('CF-Connecting-IP') ?? 'unknown';
}

/**
 * Per-IP limit for public writes, checked before the body is read so a flood costs no parsing.
 *
 * @example
 * app.post('/v1/sync', limitPerIp(), handler);
 */
export function limitPerIp(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceLimit(c.env, 'RATE_LIMIT_IP', clientIp(c));
    await next();
  };
}
