import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { tokensEqual } from '../middleware/auth.js';

/**
 * Dashboard sessions without a session store: the cookie is `<expiry>.<HMAC(token, expiry)>`, so only someone
 * who knew the publish token can mint one, and rotating the token logs every session out. The CSRF token is a
 * second HMAC over the cookie value: a page can embed it, another site can neither read nor derive it.
 */
export const SESSION_COOKIE = 'shoal_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** A working day: long enough not to interrupt a merchandiser, short enough that a stolen cookie expires. */
export const SESSION_SECONDS = 8 * 3600;

const encoder = new TextEncoder();

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function publishToken(c: Context<AppEnv>): string {
  const token = c.env.PUBLISH_TOKEN ?? '';
  if (token === '') throw new EdgeError(503, 'publish_disabled', 'PUBLISH_TOKEN is not configured');
  return token;
}

/**
 * A signed session value expiring `SESSION_SECONDS` after `now`.
 *
 * @example
 * const value = await signSession('dev-token', Date.now()); // '1767225600000.Xy…'
 */
export async function signSession(token: string, now: number): Promise<string> {
  const expires = now + SESSION_SECONDS * 1000;
  return `${expires}.${await hmac(token, `session:${expires}`)}`;
}

/**
 * Whether `value` was signed with `token` and has not expired; the MAC is compared in constant time.
 *
 * @example
 * await verifySession('dev-token', value, Date.now()); // true
 */
export async function verifySession(token: string, value: string, now: number): Promise<boolean> {
  const [expires, mac] = value.split('.');
  if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) <= now) return false;
  return tokensEqual(mac, await hmac(token, `session:${expires}`));
}

/** The CSRF token that goes with a session value. */
export const csrfFor = (token: string, session: string) => hmac(token, `csrf:${session}`);

/** Checks the typed-in token at login and sets the session cookie. */
export async function logIn(c: Context<AppEnv>, typed: string): Promise<boolean> {
  const token = publishToken(c);
  if (!(await tokensEqual(typed, token))) return false;
  setCookie(c, SESSION_COOKIE, await signSession(token, Date.now()), {
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
 * Pages need a valid session: a browser without one is sent to the login form (a redirect, since a person is
 * on the other end), and every non-GET request must carry the session's CSRF token as the `_csrf` form field
 * or the `X-CSRF-Token` header, else 403 `csrf`.
 *
 * @example
 * dashboard.use('*', requireSession());
 */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = publishToken(c);
    const session = getCookie(c, SESSION_COOKIE) ?? '';
    if (!(await verifySession(token, session, Date.now()))) {
      if (c.req.method === 'GET') return c.redirect('/dashboard/login', 303);
      throw new EdgeError(401, 'unauthorized', 'Sign in to the dashboard first');
    }
    const csrf = await csrfFor(token, session);
    c.set('csrf', csrf);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = (c.req.header('Content-Type') ?? '').includes('form') ? await c.req.parseBody() : {};
      const sent = c.req.header(CSRF_HEADER) ?? (typeof form[CSRF_FIELD] === 'string' ? form[CSRF_FIELD] : '');
      if (!(await tokensEqual(sent, csrf))) throw new EdgeError(403, 'csrf', 'Missing or wrong CSRF token; reload the page and try again');
    }
    await next();
  };
}
