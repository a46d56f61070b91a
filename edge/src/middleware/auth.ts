import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env.js';
import { EdgeError } from '../errors.js';

const encoder = new TextEncoder();

/** Someone allowed to publish and administer: the name a token stands for, recorded on what they change. */
export interface Publisher {
  name: string;
  token: string;
}

/** The name `PUBLISH_TOKEN` (the single, unnamed token) is recorded under. */
export const DEFAULT_PUBLISHER = 'default';

/** Names appear in the registry, the dashboard and cookies: short, printable, no separators of the secret's format. */
const PUBLISHER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

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

const misconfigured = (message: string) => new EdgeError(503, 'publish_misconfigured', message);

/**
 * Everyone who may publish: `PUBLISH_TOKENS` (comma-separated `name:token`, split at the first colon so a
 * token may contain one) plus `PUBLISH_TOKEN` as `default`. A malformed list switches the routes off (503
 * `publish_misconfigured`, naming the entry by position, never its secret) rather than guessing: a typo
 * must not silently lock someone out or let two people share one name.
 *
 * @example
 * publishers({ PUBLISH_TOKENS: 'alice:s3cret,ci:0th3r' }); // [{ name: 'alice', token: 's3cret' }, { name: 'ci', token: '0th3r' }]
 */
export function publishers(env: Pick<Env, 'PUBLISH_TOKEN' | 'PUBLISH_TOKENS'>): Publisher[] {
  const list: Publisher[] = [];
  const entries = (env.PUBLISH_TOKENS ?? '').split(',').map((e) => e.trim());
  entries.forEach((entry, i) => {
    if (entry === '') return;
    const colon = entry.indexOf(':');
    const name = entry.slice(0, Math.max(colon, 0)).trim();
    const token = entry.slice(colon + 1).trim();
    if (colon < 0 || token === '') throw misconfigured(`PUBLISH_TOKENS entry ${i + 1} is not name:token`);
    if (!PUBLISHER_NAME.test(name))
      throw misconfigured(`PUBLISH_TOKENS entry ${i + 1}: a name is 1–64 letters, digits, . _ @ -`);
    list.push({ name, token });
  });
  const single = env.PUBLISH_TOKEN ?? '';
  if (single !== '') list.push({ name: DEFAULT_PUBLISHER, token: single });
  const names = new Set(list.map((p) => p.name));
  const tokens = new Set(list.map((p) => p.token));
  if (names.size < list.length) throw misconfigured('Two publish tokens share a name');
  // One token under two names would make attribution a guess.
  if (tokens.size < list.length) throw misconfigured('Two publishers share a token');
  return list;
}

/**
 * The publisher whose token `presented` is, or null. Every token is compared, whichever matches, so the time
 * taken says nothing about which name (if any) it was.
 *
 * @example
 * await publisherFor(publishers(env), 's3cret'); // { name: 'alice', token: 's3cret' }
 */
export async function publisherFor(list: Publisher[], presented: string): Promise<Publisher | null> {
  const matches = await Promise.all(list.map((p) => tokensEqual(presented, p.token)));
  const i = matches.indexOf(true);
  return i < 0 ? null : list[i]!;
}

/**
 * The configured publishers, or 503 `publish_disabled` when there are none: a forgotten secret never means a
 * public publish endpoint.
 *
 * @example
 * const list = requirePublishers(c.env);
 */
export function requirePublishers(env: Env): Publisher[] {
  const list = publishers(env);
  if (list.length === 0)
    throw new EdgeError(503, 'publish_disabled', 'No publish token is configured (PUBLISH_TOKEN or PUBLISH_TOKENS)');
  return list;
}

/**
 * Guards publish and admin routes with `Authorization: Bearer <token>` and records whose token it was as the
 * `publisher` variable, so writes are attributed to an authenticated name, never to one the client claims.
 *
 * @example
 * app.post('/v1/models', requireToken(), (c) => publish(c.get('publisher')));
 */
export function requireToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const list = requirePublishers(c.env);
    const match = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '');
    const publisher = match ? await publisherFor(list, match[1]!) : null;
    if (!publisher) throw new EdgeError(401, 'unauthorized', 'Missing or wrong bearer token');
    c.set('publisher', publisher.name);
    await next();
  };
}
