import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SPEC } from '../../../sdk/src/contract/index.js';
import { app } from '../app.js';

// No DB binding: every case here must be refused before storage is touched.
const allow = { limit: async () => ({ success: true }) };
const env = { ALLOWED_ORIGINS: 'https://shop.example', RATE_LIMIT_IP: allow, RATE_LIMIT_SHOPPER: allow };

const payload = (over: Record<string, unknown> = {}) => ({
  batchId: '7b0e3c1e-1d2a-4c3b-9f4e-5a6b7c8d9e0f',
  anonymousId: '0f9e8d7c-6b5a-4e3f-8c2b-1a0e9d8c7b6a',
  specVersion: FEATURE_SPEC.version,
  specHash: FEATURE_SPEC.hash,
  features: FEATURE_NAMES.map(() => 1),
  counts: { events: 3, orders: 1, productViews: 1, addToCarts: 1, sessions: 1 },
  sentAt: 1_700_000_000_000,
  ...over,
});

async function sync(body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await app.request('/v1/sync', { method: 'POST', body, headers }, env);
  return {
    status: res.status,
    body: (await res.json()) as { error: { code: string; message: string } },
    headers: res.headers,
  };
}

describe('POST /v1/sync refusals', () => {
  it('400 malformed_json for a body that is not JSON', async () => {
    const res = await sync('{"batchId":');
    expect([res.status, res.body.error.code]).toEqual([400, 'malformed_json']);
  });

  it('415 for a body that is not declared as JSON', async () => {
    const res = await sync(JSON.stringify(payload()), { 'Content-Type': 'text/plain' });
    expect([res.status, res.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('413 payload_too_large over 64 KiB', async () => {
    const res = await sync(JSON.stringify(payload({ pad: 'x'.repeat(70 * 1024) })));
    expect([res.status, res.body.error.code]).toEqual([413, 'payload_too_large']);
  });

  it('413 payload_too_large for a body streamed without Content-Length', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(8192));
    let sent = 0;
    // Endless unless the edge stops reading: the bound below is the test's own safety net.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await app.request(
      '/v1/sync',
      { method: 'POST', body, headers: { 'Content-Type': 'application/json' }, duplex: 'half' } as RequestInit,
      env,
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('422 invalid_payload naming the failing field', async () => {
    const res = await sync(JSON.stringify(payload({ batchId: 'not-a-uuid' })));
    expect([res.status, res.body.error.code]).toEqual([422, 'invalid_payload']);
    expect(res.body.error.message).toMatch(/^batchId: /);
  });

  it('422 for unknown fields too, since the schema is strict', async () => {
    const res = await sync(JSON.stringify(payload({ email: 'a@b.c' })));
    expect([res.status, res.body.error.code]).toEqual([422, 'invalid_payload']);
  });

  it.each([
    ['another spec hash', { specHash: '00000000' }],
    ['a vector of the wrong length', { features: [1, 2, 3] }],
  ])('409 spec_mismatch for %s', async (_, over) => {
    const res = await sync(JSON.stringify(payload(over)));
    expect([res.status, res.body.error.code]).toEqual([409, 'spec_mismatch']);
  });

  it('503 secret_missing for a valid sync when ID_PEPPER is unset or short, rather than storing it unkeyed', async () => {
    const res = await app.request(
      '/v1/sync',
      { method: 'POST', body: JSON.stringify(payload()), headers: { 'Content-Type': 'application/json' } },
      { ...env, ID_PEPPER: 'short' },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'secret_missing' } });
  });

  it('keeps CORS headers on errors so the storefront can read the code', async () => {
    const res = await sync('{', { 'Content-Type': 'application/json', Origin: 'https://shop.example' });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
  });
});

describe('OPTIONS /v1/sync preflight', () => {
  const preflight = (origin: string) =>
    app.request(
      '/v1/sync',
      {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      },
      env,
    );

  it('allows a listed origin', async () => {
    const res = await preflight('https://shop.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
  });

  it('does not allow an unlisted origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('POST /v1/sync limits and origins', () => {
  const refuse = { limit: async () => ({ success: false }) };

  it('429 rate_limited with Retry-After once the IP budget is spent', async () => {
    const res = await app.request(
      '/v1/sync',
      { method: 'POST', body: JSON.stringify(payload()), headers: { 'Content-Type': 'application/json' } },
      { ...env, RATE_LIMIT_IP: refuse },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('60');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('keys the shopper budget by anonymousId', async () => {
    const keys: string[] = [];
    const shopper = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: false };
      },
    };
    const res = await app.request(
      '/v1/sync',
      { method: 'POST', body: JSON.stringify(payload()), headers: { 'Content-Type': 'application/json' } },
      { ...env, RATE_LIMIT_SHOPPER: shopper },
    );
    expect(res.status).toBe(429);
    expect(keys).toEqual([payload().anonymousId]);
  });

  it('403 origin_not_allowed for a browser on an unlisted origin', async () => {
    const res = await sync(JSON.stringify(payload()), {
      'Content-Type': 'application/json',
      Origin: 'https://evil.example',
    });
    expect([res.status, res.body.error.code]).toEqual([403, 'origin_not_allowed']);
  });
});
