import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SPEC } from '../../../sdk/src/contract/index.js';
import { app } from '../app.js';
import { syncKeys } from './erased.js';

const pepper = 'p'.repeat(32);
const payload = {
  batchId: '7b0e3c1e-1d2a-4c3b-9f4e-5a6b7c8d9e0f',
  anonymousId: '0f9e8d7c-6b5a-4e3f-8c2b-1a0e9d8c7b6a',
  specVersion: FEATURE_SPEC.version,
  specHash: FEATURE_SPEC.hash,
  features: FEATURE_NAMES.map(() => 1),
  counts: { events: 3, orders: 1, productViews: 1, addToCarts: 1, sessions: 1 },
  sentAt: 1_700_000_000_000,
};
const hmacHex = (message: string) => createHmac('sha256', pepper).update(message).digest('hex');
const hexOf = (buffer: ArrayBuffer | null) => (buffer ? Buffer.from(buffer).toString('hex') : null);

describe('syncKeys', () => {
  it('keys the user id and both tombstones with the pepper, each with its own prefix', async () => {
    const userIdHash = 'ab'.repeat(32);
    const keys = await syncKeys(pepper, { ...payload, userIdHash });
    expect(keys.userKey).toBe(hmacHex(`user:${userIdHash}`));
    expect(hexOf(keys.shopperTombstone)).toBe(hmacHex(`erased-shopper:${payload.anonymousId}`).slice(0, 32));
    expect(hexOf(keys.userTombstone)).toBe(hmacHex(`erased-user:${keys.userKey}`).slice(0, 32));
  });

  it('has no user key or user tombstone for a shopper who is not signed in', async () => {
    expect(await syncKeys(pepper, payload)).toMatchObject({ userKey: null, userTombstone: null });
  });
});

describe('POST /v1/sync without ID_PEPPER', () => {
  it('answers 503 secret_missing for a valid sync rather than storing anything unkeyed', async () => {
    // No DB binding: reaching storage would throw a 500 instead.
    const allow = { limit: async () => ({ success: true }) };
    const env = { ALLOWED_ORIGINS: '*', RATE_LIMIT_IP: allow, RATE_LIMIT_SHOPPER: allow, ID_PEPPER: 'short' };
    const res = await app.request(
      '/v1/sync',
      { method: 'POST', body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' } },
      env,
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'secret_missing' } });
  });
});
