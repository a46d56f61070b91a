import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../env.js';

/**
 * Parses `ALLOWED_ORIGINS` (comma-separated, `*` for any) into the origin to echo back, or null to refuse.
 *
 * @example
 * allowedOrigin('https://shop.example', 'https://shop.example, https://b.example'); // 'https://shop.example'
 */
export function allowedOrigin(origin: string, allowList: string | undefined): string | null {
  const allowed = (allowList ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (allowed.includes('*')) return '*';
  return origin !== '' && allowed.includes(origin) ? origin : null;
}

/**
 * CORS for storefront writes: only origins listed in `ALLOWED_ORIGINS`, POST only.
 *
 * @example
 * app.use('/v1/sync', storefrontCors());
 */
export function storefrontCors(): MiddlewareHandler<AppEnv> {
  return cors({
    origin: (origin, c) => allowedOrigin(origin, (c.env as AppEnv['Bindings']).ALLOWED_ORIGINS),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 86400,
  });
}

/**
 * CORS for public reads (model files): any origin, GET only.
 *
 * @example
 * app.use('/v1/models/current', publicCors());
 */
export function publicCors(): MiddlewareHandler<AppEnv> {
  return cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 86400 });
}
