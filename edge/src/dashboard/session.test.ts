import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { csrfFor, SESSION_COOKIE, SESSION_SECONDS, signSession, verifySession } from './session.js';
import { logIn, requireSession } from './session.js';

const alice = { name: 'alice', token: 'tok-a' };
const bob = { name: 'bob.smith', token: 'tok-b' };
const list = [alice, bob];

describe('dashboard sessions', () => {
  const now = Date.UTC(2026, 0, 1);

  it('knows whose session it is until it expires', async () => {
    for (const who of list) {
      const value = await signSession(who, now);
      expect(await verifySession(list, value, now + 1000)).toEqual(who);
      expect(await verifySession(list, value, now + SESSION_SECONDS * 1000)).toBeNull();
    }
  });

  it('refuses a renamed session, a rotated token, a stretched expiry and junk', async () => {
    const value = await signSession(alice, now);
    const [, expires, mac] = value.split('.');
    // Claiming to be bob with alice's signature, or alice after her token changed.
    expect(await verifySession(list, `bob.smith.${expires}.${mac}`, now)).toBeNull();
    expect(await verifySession([{ name: 'alice', token: 'rotated' }], value, now)).toBeNull();
    expect(await verifySession(list, `alice.${Number(expires) + 1000}.${mac}`, now)).toBeNull();
    expect(await verifySession([bob], value, now)).toBeNull();
    for (const junk of [
      '',
      '.',
      '..',
      'abc',
      `${expires}.${mac}`,
      `alice.${expires}.`,
      `alice.x.${mac}`,
      `.${expires}.${mac}`,
    ]) {
      expect(await verifySession(list, junk, now)).toBeNull();
    }
  });

  it('derives a CSRF token per session that the cookie value alone does not reveal', async () => {
    const [a, b] = [await signSession(alice, now), await signSession(alice, now + 1)];
    expect(await csrfFor('tok-a', a)).toBe(await csrfFor('tok-a', a));
    expect(await csrfFor('tok-a', a)).not.toBe(await csrfFor('tok-a', b));
    expect(a).not.toContain(await csrfFor('tok-a', a));
  });
});

describe('signing in with a named token', () => {
  const env = { PUBLISH_TOKEN: 'tok-default', PUBLISH_TOKENS: 'alice:tok-a, bob.smith:tok-b' };
  const app = new Hono<AppEnv>()
    .post('/dashboard/login', async (c) => c.text(String(await logIn(c, (await c.req.parseBody()).token as string))))
    .use('/dashboard/*', requireSession())
    .get('/dashboard/who', (c) => c.text(c.get('publisher')))
    .onError(errorResponse);
  const login = async (token: string) => {
    const res = await app.request('/dashboard/login', { method: 'POST', body: new URLSearchParams({ token }) }, env);
    return { ok: await res.text(), cookie: /shoal_session=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1] };
  };

  it.each([
    ['tok-a', 'alice'],
    ['tok-b', 'bob.smith'],
    ['tok-default', 'default'],
  ])('token %s signs in as %s', async (token, name) => {
    const { ok, cookie } = await login(token);
    expect(ok).toBe('true');
    const res = await app.request('/dashboard/who', { headers: { Cookie: `${SESSION_COOKIE}=${cookie}` } }, env);
    expect(await res.text()).toBe(name);
  });

  it('refuses a token nobody holds', async () => {
    expect(await login('tok-c')).toEqual({ ok: 'false', cookie: undefined });
  });
});
