import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syncKeys } from './erased.js';

const pepper = 'p'.repeat(32);
const payload = { anonymousId: '0f9e8d7c-6b5a-4e3f-8c2b-1a0e9d8c7b6a' };
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
