import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';

const encoder = new TextEncoder();

/**
 * Compares two secrets in time independent of where they differ. Hashing first gives both sides the same
 * length, so the comparison leaks neither a prefix match nor the token's length.
 *
 * @example
 * await tokensEqual('abc', 'abc'); // true
 */
export async function tokensEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  const x = new Uint8Array(ha!);
  const y = new Uint8Array(hb!);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/**
 * Guards publish and admin routes with `Authorization: Bearer <PUBLISH_TOKEN>`. With no token configured the
 * routes are switched off (503) rather than open, so a forgotten secret never means a public publish endpoint.
 *
 * @example
 * app.post('/v1/models', requireToken(), publish);
 */
export function requireToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.env.PUBLISH_TOKEN ?? '';
    if (expected === '') throw new EdgeError(503, 'publish_disabled', 'PUBLISH_TOKEN is not configured');
    const match = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '');
    if (!match || !(await tokensEqual(match[1]!, expected))) {
      throw new EdgeError(401, 'unauthorized', 'Missing or wrong bearer token');
    }
    await next();
  };
}
