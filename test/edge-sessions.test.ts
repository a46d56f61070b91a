import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeHarness } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// Dashboard sessions on the real worker, spoken to as a browser would (forms, cookies, no redirects followed).
const ALICE = { name: 'alice', token: 'alice-dashboard-token' };
const BOB = { name: 'bob.smith', token: 'bob-dashboard-token' };
let edge: EdgeHarness;

beforeAll(async () => {
  edge = await startEdgeHarness({
    vars: { PUBLISH_TOKENS: [ALICE, BOB].map((p) => `${p.name}:${p.token}`).join(',') },
  });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

async function logIn(token: string): Promise<string> {
  const res = await edge.call('/dashboard/login', form({ token }));
  expect(res.status).toBe(303);
  return /shoal_session=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')![1]!;
}

const withCookie = (cookie: string, init: RequestInit = {}): RequestInit => ({
  redirect: 'manual',
  ...init,
  headers: { ...(init.headers as Record<string, string>), Cookie: `shoal_session=${cookie}` },
});

/** A dashboard page as the session sees it: status, and the CSRF token its forms carry. */
async function page(cookie: string, path = '/dashboard/segments') {
  const res = await edge.call(path, withCookie(cookie));
  return {
    status: res.status,
    location: res.headers.get('Location'),
    csrf: /name="_csrf" value="([^"]+)"/.exec(String(res.body))?.[1],
  };
}

/**
 * A body of `bytes` streamed in chunks without a Content-Length, as a client hiding its size would send it.
 * Kept small enough for the socket's buffers: the worker answers 413 after 4 KiB and closes, and Node's
 * fetch reports a reset instead of that answer if it is still writing then.
 */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`token=${'a'.repeat(8 * 1024 - 6)}`);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe('dashboard sessions on workerd', () => {
  it.each([
    [ALICE.token, ALICE.name],
    [BOB.token, BOB.name],
    [undefined, 'default'],
  ])('token %s signs in as %s', async (token, name) => {
    const cookie = await logIn(token ?? edge.token);
    const res = await edge.call('/dashboard/segments', withCookie(cookie));
    expect(res.status).toBe(200);
    expect(res.body).toContain(`Signed in as <strong>${name}</strong>`);
  });

  it('signing out revokes the session on the server: the same cookie replayed afterwards is refused', async () => {
    const [kept, signedOut] = [await logIn(ALICE.token), await logIn(ALICE.token)];
    const before = await page(signedOut);
    expect(before.status).toBe(200);

    const out = await edge.call('/dashboard/logout', withCookie(signedOut, form({ _csrf: before.csrf! })));
    expect(out.status).toBe(303);
    expect(out.headers.get('Set-Cookie')).toMatch(/shoal_session=;/);

    // An attacker who copied the cookie before sign-out replays it.
    expect(await page(signedOut)).toMatchObject({ status: 303, location: '/dashboard/login' });
    expect(
      await edge.call(
        '/dashboard/blocks/revert',
        withCookie(signedOut, {
          ...form({ version: '1' }),
          headers: { ...form({}).headers, 'X-CSRF-Token': before.csrf! },
        }),
      ),
    ).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    // Only that session ended: alice's other sign-in still works.
    expect((await page(kept)).status).toBe(200);
  });

  it('refuses an oversized login body unread (413), whether or not it declares its length', async () => {
    const eightMiB = 8 * 1024 * 1024;
    expect(await edge.call('/dashboard/login', form({ token: 'a'.repeat(eightMiB) }))).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    const res = await edge.call('/dashboard/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: streamed(64 * 1024),
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('refuses an oversized form body on a signed-in page before the session check parses it', async () => {
    const cookie = await logIn(ALICE.token);
    const { csrf } = await page(cookie);
    const res = await edge.call(
      '/dashboard/blocks/revert',
      withCookie(cookie, form({ _csrf: csrf!, pad: 'x'.repeat(1024 * 1024) })),
    );
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('does not let a stolen cookie confirm a guessed token offline', async () => {
    const cookie = await logIn(ALICE.token);
    const parts = cookie.split('.');
    const [expires, mac] = parts.slice(-2) as [string, string];
    // The attack on a MAC keyed by the token alone: hash a candidate token over the cookie's own fields and
    // compare. With the right token it must still not match, since the key also needs SESSION_SECRET.
    for (const message of [`session:alice:${expires}`, `session:alice:${parts.at(-3)}:${expires}`]) {
      expect(createHmac('sha256', ALICE.token).update(message).digest('base64url')).not.toBe(mac);
    }
    // Forged offline from the token alone, such a cookie is refused.
    const forged = `alice.${Date.now() + 3_600_000}`;
    const forgedMac = createHmac('sha256', ALICE.token)
      .update(`session:${forged.replace('.', ':')}`)
      .digest('base64url');
    expect(await page(`${forged}.${forgedMac}`)).toMatchObject({ status: 303, location: '/dashboard/login' });
  });
});
