import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { publisherFor, requirePublishers, tokensEqual } from '../middleware/auth.js';
import type { Publisher } from '../middleware/auth.js';

/**
 * Dashboard sessions without a session store: the cookie is `<publisher>.<expiry>.<HMAC(token, publisher and
 * expiry)>`, signed with that publisher's own token, so only someone who knew it can mint one, the session
 * knows whose it is (dashboard changes are attributed to that name), and rotating one person's token logs
 * out only their sessions. The CSRF token is a second HMAC over the cookie value: a page can embed it,
 * another site can neither read nor derive it.
 */
export const SESSION_COOKIE = 'shoal_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** A working day: long enough not to interrupt a merchandiser, short enough that a stolen cookie expires. */
export const SESSION_SECONDS = 8 * 3600;

const encoder = new TextEncoder();

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * A signed session value for `publisher`, expiring `SESSION_SECONDS` after `now`.
 *
 * @example
 * const value = await signSession({ name: 'alice', token: 'dev-token' }, Date.now()); // 'alice.1767225600000.Xy…'
 */
export async function signSession(publisher: Publisher, now: number): Promise<string> {
  const expires = now + SESSION_SECONDS * 1000;
  return `${publisher.name}.${expires}.${await hmac(publisher.token, `session:${publisher.name}:${expires}`)}`;
}

/**
 * The publisher a session value was signed for, if it was signed with that publisher's current token and has
 * not expired; else null. The MAC is compared in constant time.
 *
 * @example
 * await verifySession(publishers(env), value, Date.now()); // { name: 'alice', token: 'dev-token' }
 */
export async function verifySession(list: Publisher[], value: string, now: number): Promise<Publisher | null> {
  // Names may contain dots; expiry and MAC never do, so split from the right.
  const macAt = value.lastIndexOf('.');
  const expiresAt = value.lastIndexOf('.', macAt - 1);
  if (macAt < 0 || expiresAt < 1) return null;
  const [name, expires, mac] = [value.slice(0, expiresAt), value.slice(expiresAt + 1, macAt), value.slice(macAt + 1)];
  const publisher = list.find((p) => p.name === name);
  if (!publisher || mac === '' || !/^\d+$/.test(expires) || Number(expires) <= now) return null;
  return (await tokensEqual(mac, await hmac(publisher.token, `session:${name}:${expires}`))) ? publisher : null;
}

/** The CSRF token that goes with a session value. */
export const csrfFor = (token: string, session: string) => hmac(token, `csrf:${session}`);

/** Checks the typed-in token against every publisher at login and sets a session cookie in that one's name. */
export async function logIn(c: Context<AppEnv>, typed: string): Promise<boolean> {
  const publisher = await publisherFor(requirePublishers(c.env), typed);
  if (!publisher) return false;
  setCookie(c, SESSION_COOKIE, await signSession(publisher, Date.now()), {
    httpOnly: true,
    sameSite: 'Strict',
    // Browsers drop Secure cookies on plain http, which the local edge speaks; in production it is https.
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/dashboard',
    maxAge: SESSION_SECONDS,
  });
  return true;
}

export function logOut(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/dashboard' });
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The CSRF token for the signed-in session, for forms to embed. */
    csrf: string;
  }
}

/**
 * Pages need a valid session (its publisher's name becomes the `publisher` variable): a browser without one is sent to the login form (a redirect, since a person is
 * on the other end), and every non-GET request must carry the session's CSRF token as the `_csrf` form field
 * or the `X-CSRF-Token` header, else 403 `csrf`.
 *
 * @example
 * dashboard.use('*', requireSession());
 */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = getCookie(c, SESSION_COOKIE) ?? '';
    const publisher = await verifySession(requirePublishers(c.env), session, Date.now());
    if (!publisher) {
      if (c.req.method === 'GET') return c.redirect('/dashboard/login', 303);
      throw new EdgeError(401, 'unauthorized', 'Sign in to the dashboard first');
    }
    const csrf = await csrfFor(publisher.token, session);
    c.set('csrf', csrf);
    c.set('publisher', publisher.name);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = (c.req.header('Content-Type') ?? '').includes('form') ? await c.req.parseBody() : {};
      const sent = c.req.header(CSRF_HEADER) ?? (typeof form[CSRF_FIELD] === 'string' ? form[CSRF_FIELD] : '');
      if (!(await tokensEqual(sent, csrf)))
        throw new EdgeError(403, 'csrf', 'Missing or wrong CSRF token; reload the page and try again');
    }
    await next();
  };
}
