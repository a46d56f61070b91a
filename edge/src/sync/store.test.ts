import { describe, expect, it } from 'vitest';
import {
  D1_QUERIES_PER_INVOCATION,
  groupStatements,
  MAX_GROUP,
  SYNC_READ_STATEMENTS,
  SYNC_WRITE_STATEMENTS,
} from './store.js';
import type { Pending } from './store.js';

/** A database that only prepares and binds, counting statements. */
const db = { prepare: () => ({ bind: () => ({}) }) } as unknown as D1Database;
const pending = (i: number): Pending => ({
  sync: {
    batchId: `b${i}`,
    anonymousId: `a${i}`,
    specVersion: 2,
    specHash: '00000000',
    features: [],
    counts: { events: 1, orders: 0, productViews: 0, addToCarts: 0, sessions: 1 },
    sentAt: 1,
    seq: 1,
  },
  source: null,
  dropped: [],
  keys: { userKey: null, shopperTombstone: new ArrayBuffer(16), userTombstone: null },
  now: 1,
});

describe('the D1 statement budget of a sync', () => {
  it('fits the largest group, its item-by-item retry and a cold isolate’s reads in one invocation', () => {
    const worst = 2 * MAX_GROUP * SYNC_WRITE_STATEMENTS + SYNC_READ_STATEMENTS;
    expect(worst).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION);
    expect(worst + 2 * SYNC_WRITE_STATEMENTS).toBeGreaterThan(D1_QUERIES_PER_INVOCATION);
  });

  it('is what a group is written with', () => {
    const group = Array.from({ length: MAX_GROUP }, (_, i) => pending(i));
    expect(groupStatements(db, group)).toHaveLength(MAX_GROUP * SYNC_WRITE_STATEMENTS);
  });
});
