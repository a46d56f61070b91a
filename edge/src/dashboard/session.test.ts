import { describe, expect, it } from 'vitest';
import { csrfFor, SESSION_SECONDS, signSession, verifySession } from './session.js';

describe('dashboard sessions', () => {
  const now = Date.UTC(2026, 0, 1);

  it('accepts its own signature until it expires', async () => {
    const value = await signSession('tok', now);
    expect(await verifySession('tok', value, now + 1000)).toBe(true);
    expect(await verifySession('tok', value, now + SESSION_SECONDS * 1000)).toBe(false);
  });

  it('refuses another token, a stretched expiry and junk', async () => {
    const value = await signSession('tok', now);
    const [expires, mac] = value.split('.');
    expect(await verifySession('other', value, now)).toBe(false);
    expect(await verifySession('tok', `${Number(expires) + 1000}.${mac}`, now)).toBe(false);
    for (const junk of ['', '.', 'abc', `${expires}.`, `x.${mac}`]) expect(await verifySession('tok', junk, now)).toBe(false);
  });

  it('derives a CSRF token per session that the cookie value alone does not reveal', async () => {
    const [a, b] = [await signSession('tok', now), await signSession('tok', now + 1)];
    expect(await csrfFor('tok', a)).toBe(await csrfFor('tok', a));
    expect(await csrfFor('tok', a)).not.toBe(await csrfFor('tok', b));
    expect(a).not.toContain(await csrfFor('tok', a));
  });
});
