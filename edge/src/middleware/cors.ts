import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';

/**
 * Parses `ALLOWED_ORIGINS` (comma-separated, `*` for any) into the origin to echo back, or null to refuse.
 *
 * @example
 * allowedOrigin('https://shop.example', 'https://shop.example, https://b.example'); // 'https://shop.example'
 */
export function allowedOrigin(origin: string, allowList: string | undefined): string | null {
  const allowed = (allowList ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (allowed.includes('*')) return '*';
  return origin !== '' && allowed.includes(origin) ? origin : null;
}

/**
 * CORS for storefront writes: only origins listed in `ALLOWED_ORIGINS`, only the given methods.
 * `Retry-After` is exposed so the SDK can back off from a 429.
 *
 * @example
 * app.use('/v1/sync', storefrontCors(['POST']));
 */
export function storefrontCors(methods: string[]): MiddlewareHandler<AppEnv> {
  const headers = cors({
    origin: (origin, c) => allowedOrigin(origin, (c.env as AppEnv['Bindings']).ALLOWED_ORIGINS),
    allowMethods: methods,
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 86400,
  });
  return async (c, next) => {
    // CORS alone only stops a browser from reading the answer; the write would still land. A browser
    // always sends Origin with these methods, so an unlisted one is refused before anything is stored.
    const origin = c.req.header('Origin');
    if (
      origin !== undefined &&
      methods.includes(c.req.method) &&
      allowedOrigin(origin, c.env.ALLOWED_ORIGINS) === null
    ) {
      throw new EdgeError(403, 'origin_not_allowed', `Origin ${origin.slice(0, 200)} is not in ALLOWED_ORIGINS`);
    }
    return headers(c, next);
  };
}

/**
 * CORS for public reads (model files, block configuration): any origin, GET only. `ETag` is exposed so a
 * cross-origin client can revalidate with `If-None-Match`.
 *
 * @example
 * app.use('/v1/models/current', publicCors());
 */
export function publicCors(): MiddlewareHandler<AppEnv> {
  return cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['ETag'], maxAge: 86400 });
}
