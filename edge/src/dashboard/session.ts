import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { publisherFor, requirePublishers, tokensEqual } from '../middleware/auth.js';
import type { Publisher } from '../middleware/auth.js';
import { base64url, hmac, requireSecret } from '../secrets.js';
import { isRevoked, revokeSession } from './revocations.js';

/**
 * Dashboard sessions: the cookie is `<publisher>.<id>.<expiry>.<MAC>`, the MAC keyed per holder with
 * HMAC(SESSION_SECRET, name ‖ token). Only someone who knew the token can have one minted, the session knows
 * whose it is (dashboard changes are attributed to that name), and removing or changing one named token signs
 * out only that holder. The server secret in the key means a stolen cookie cannot be used to test guesses of
 * the token offline. The random id is what signing out revokes (in D1, see revocations.ts). The CSRF token is
 * a second MAC over the cookie value: a page can embed it, another site can neither read nor derive it.
 */
export const SESSION_COOKIE = 'shoal_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** A working day: long enough not to interrupt a merchandiser, short enough that a stolen cookie expires. */
export const SESSION_SECONDS = 8 * 3600;

/** A verified session: whose it is, and what signing out needs to revoke it. */
export interface Session {
  publisher: Publisher;
  id: string;
  /** Expiry (ms). */
  expires: number;
  /** The holder's MAC key, for the CSRF token. */
  key: Uint8Array;
}

/** Names never contain a colon (see `publishers`), so `name:token` is unambiguous. */
const holderKey = (secret: string, p: Publisher) => hmac(secret, `${p.name}:${p.token}`);
const mac = async (key: Uint8Array, name: string, id: string, expires: number) =>
  base64url(await hmac(key, `session:${name}:${id}:${expires}`));

/**
 * A signed session value for `publisher`, expiring `SESSION_SECONDS` after `now`.
 *
 * @example
 * const value = await signSession(env.SESSION_SECRET, { name: 'alice', token: 'dev-token' }, Date.now()); // 'alice.Qm….1767225600000.Xy…'
 */
export async function signSession(secret: string, publisher: Publisher, now: number): Promise<string> {
  const id = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const expires = now + SESSION_SECONDS * 1000;
  return `${publisher.name}.${id}.${expires}.${await mac(await holderKey(secret, publisher), publisher.name, id, expires)}`;
}

/**
 * The session a value stands for, if it was signed for a publisher's current token and has not expired;
 * else null. The MAC is compared in constant time. Revocation is checked apart (it needs the database).
 *
 * @example
 * await verifySession(env.SESSION_SECRET, publishers(env), value, Date.now()); // { publisher: { name: 'alice', … }, … }
 */
export async function verifySession(
  secret: string,
  list: Publisher[],
  value: string,
  now: number,
): Promise<Session | null> {
  // Names may contain dots; id, expiry and MAC never do, so split from the right.
  const parts = value.split('.');
  if (parts.length < 4) return null;
  const [id, expires, sent] = parts.slice(-3) as [string, string, string];
  const name = parts.slice(0, -3).join('.');
  const publisher = list.find((p) => p.name === name);
  if (!publisher || id === '' || sent === '' || !/^\d+$/.test(expires) || Number(expires) <= now) return null;
  const key = await holderKey(secret, publisher);
  if (!(await tokensEqual(sent, await mac(key, name, id, Number(expires))))) return null;
  return { publisher, id, expires: Number(expires), key };
}

/** The CSRF token that goes with a session value, under the holder's key. */
export const csrfFor = async (key: Uint8Array, session: string) => base64url(await hmac(key, `csrf:${session}`));

/** Checks the typed-in token against every publisher at login and sets a session cookie in that one's name. */
export async function logIn(c: Context<AppEnv>, typed: string): Promise<boolean> {
  const secret = requireSecret(c.env, 'SESSION_SECRET');
  const publisher = await publisherFor(requirePublishers(c.env), typed);
  if (!publisher) return false;
  setCookie(c, SESSION_COOKIE, await signSession(secret, publisher, Date.now()), {
    httpOnly: true,
    sameSite: 'Strict',
    // Browsers drop Secure cookies on plain http, which the local edge speaks; in production it is https.
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/dashboard',
    maxAge: SESSION_SECONDS,
  });
  return true;
}

/** Ends the signed-in session on the server (a copy of the cookie no longer works) and in the browser. */
export async function logOut(c: Context<AppEnv>): Promise<void> {
  const session = c.get('session');
  await revokeSession(c.env.DB, session.id, session.expires);
  deleteCookie(c, SESSION_COOKIE, { path: '/dashboard' });
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The CSRF token for the signed-in session, for forms to embed. */
    csrf: string;
    /** The signed-in session, for signing out. */
    session: Session;
  }
}

/**
 * Pages need a valid, unrevoked session (its publisher's name becomes the `publisher` variable): a browser
 * without one is sent to the login form (a redirect, since a person is on the other end), and every non-GET
 * request must carry the session's CSRF token as the `_csrf` form field or the `X-CSRF-Token` header, else
 * 403 `csrf`.
 *
 * @example
 * dashboard.use('*', requireSession());
 */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const value = getCookie(c, SESSION_COOKIE) ?? '';
    const verified = await verifySession(
      requireSecret(c.env, 'SESSION_SECRET'),
      requirePublishers(c.env),
      value,
      Date.now(),
    );
    const session = verified && !(await isRevoked(c.env.DB, verified.id)) ? verified : null;
    if (!session) {
      if (c.req.method === 'GET') return c.redirect('/dashboard/login', 303);
      throw new EdgeError(401, 'unauthorized', 'Sign in to the dashboard first');
    }
    const csrf = await csrfFor(session.key, value);
    c.set('csrf', csrf);
    c.set('session', session);
    c.set('publisher', session.publisher.name);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = (c.req.header('Content-Type') ?? '').includes('form') ? await c.req.parseBody() : {};
      const sent = c.req.header(CSRF_HEADER) ?? (typeof form[CSRF_FIELD] === 'string' ? form[CSRF_FIELD] : '');
      if (!(await tokensEqual(sent, csrf)))
        throw new EdgeError(403, 'csrf', 'Missing or wrong CSRF token; reload the page and try again');
    }
    await next();
  };
}
