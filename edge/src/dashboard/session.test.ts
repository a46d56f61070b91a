import { describe, expect, it } from 'vitest';
import { base64url, hmac } from '../secrets.js';
import { csrfFor, SESSION_SECONDS, signSession, verifySession } from './session.js';

const secret = 's'.repeat(32);
const alice = { name: 'alice', token: 'tok-a' };
const bob = { name: 'bob.smith', token: 'tok-b' };
const list = [alice, bob];

describe('dashboard sessions', () => {
  const now = Date.UTC(2026, 0, 1);

  it('knows whose session it is until it expires', async () => {
    for (const who of list) {
      const value = await signSession(secret, who, now);
      expect((await verifySession(secret, list, value, now + 1000))?.publisher).toEqual(who);
      expect(await verifySession(secret, list, value, now + SESSION_SECONDS * 1000)).toBeNull();
    }
  });

  it('gives every sign-in its own id, so one can be revoked alone', async () => {
    const [a, b] = [await signSession(secret, alice, now), await signSession(secret, alice, now)];
    const [sa, sb] = [await verifySession(secret, list, a, now), await verifySession(secret, list, b, now)];
    expect(sa?.id).toMatch(/^[\w-]{22}$/);
    expect(sa?.id).not.toBe(sb?.id);
  });

  it('refuses a renamed session, a removed or rotated token, another secret, a stretched expiry and junk', async () => {
    const value = await signSession(secret, alice, now);
    const [, id, expires, mac] = value.split('.');
    // Claiming to be bob with alice's signature, or alice after her token changed or went.
    expect(await verifySession(secret, list, `bob.smith.${id}.${expires}.${mac}`, now)).toBeNull();
    expect(await verifySession(secret, [{ name: 'alice', token: 'rotated' }, bob], value, now)).toBeNull();
    expect(await verifySession(secret, [bob], value, now)).toBeNull();
    expect(await verifySession('t'.repeat(32), list, value, now)).toBeNull();
    expect(await verifySession(secret, list, `alice.${id}.${Number(expires) + 1000}.${mac}`, now)).toBeNull();
    expect(await verifySession(secret, list, `alice.other-id.${expires}.${mac}`, now)).toBeNull();
    for (const junk of [
      '',
      '.',
      '...',
      'abc',
      `${id}.${expires}.${mac}`,
      `alice.${id}.${expires}.`,
      `alice.${id}.x.${mac}`,
      `alice..${expires}.${mac}`,
      `.${id}.${expires}.${mac}`,
    ]) {
      expect(await verifySession(secret, list, junk, now)).toBeNull();
    }
  });

  it("keeps signing in with bob's token working after alice's token is removed", async () => {
    const bobs = await signSession(secret, bob, now);
    expect((await verifySession(secret, [bob], bobs, now))?.publisher).toEqual(bob);
  });

  it('does not let a stolen cookie confirm a guessed token without the server secret', async () => {
    const value = await signSession(secret, alice, now);
    const [, id, expires, mac] = value.split('.');
    // The attack on a MAC keyed by the token alone: try candidate tokens until one reproduces the MAC.
    for (const message of [`session:alice:${id}:${expires}`, `session:alice:${expires}`])
      expect(base64url(await hmac(alice.token, message))).not.toBe(mac);
  });

  it('derives a CSRF token per session that the cookie value alone does not reveal', async () => {
    const [a, b] = [await signSession(secret, alice, now), await signSession(secret, alice, now + 1)];
    const key = (await verifySession(secret, list, a, now))!.key;
    expect(await csrfFor(key, a)).toBe(await csrfFor(key, a));
    expect(await csrfFor(key, a)).not.toBe(await csrfFor(key, b));
    expect(a).not.toContain(await csrfFor(key, a));
  });
});
