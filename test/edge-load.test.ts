import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { FEATURE_NAMES } from '../sdk/src/contract/index.js';
import type { SyncPayload } from '../sdk/src/contract/index.js';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import { plausible, startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { Answer, EdgeHarness } from '../edge/local/harness.js';

let edge: EdgeHarness;

const SEGMENTS = ['loyal', 'at_risk', 'new', 'champions'];
/** Value tiers a model may have at most: each shopper below reports one of these. */
const TIERS = Array.from({ length: 8 }, (_, i) => `t${i}`);

beforeAll(async () => {
  edge = await startEdgeHarness();
  // The segments and tiers syncs report must be a published model's, or the edge drops them.
  const model = buildFixtureModel('load-1', { segments: SEGMENTS, tiers: TIERS });
  expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
}, 90_000);

// Load is where a worker would crash if it could; its own last words are the first thing to read.
beforeEach(() => {
  onTestFailed(() => console.error(`wrangler output:\n${edge.recentOutput().join('\n')}`));
});

afterAll(async () => {
  await edge?.stop();
}, 30_000);

/**
 * Runs `tasks` on `clients` concurrent workers pulling from one queue; bounded by the task count. After a
 * failure the other workers stop taking tasks and are awaited, so no traffic leaks into the next test.
 */
async function runPool<T>(clients: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failed = false;
  const settled = await Promise.allSettled(
    Array.from({ length: clients }, async () => {
      while (next < tasks.length && !failed) {
        const i = next++;
        try {
          results[i] = await tasks[i]!();
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }),
  );
  const rejection = settled.find((s) => s.status === 'rejected');
  if (rejection) throw (rejection as PromiseRejectedResult).reason;
  return results;
}

/** Deterministic shuffle (xorshift), so a failure replays in the same order. */
function shuffle<T>(items: T[], seed = 42): T[] {
  let s = seed;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const RETRIES = 3;

/**
 * One delivery as the SDK makes it: a 503 (wrangler dev answers so when the worker restarts mid-request) is
 * retried with backoff, a bounded number of times. Whether the first attempt was stored or not, the retry is
 * idempotent, which is exactly what the stored counts below check.
 */
async function deliver(p: SyncPayload, ip: string): Promise<{ answer: Answer; retries: number }> {
  for (let attempt = 0; ; attempt++) {
    const answer = await edge.sync(p, { 'CF-Connecting-IP': ip });
    if (answer.status !== 503 || attempt === RETRIES) return { answer, retries: attempt };
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
}

describe('concurrent ingestion on workerd', () => {
  const CLIENTS = 50;
  const SHOPPERS = 100;
  const BATCHES_PER_SHOPPER = 20;
  const REPLAYS = 500;

  it('stores 2,000 batches from 50 concurrent clients exactly once, each profile at its newest snapshot', async () => {
    const before = await edge.totals();
    const t0 = Date.now();
    const shoppers = Array.from({ length: SHOPPERS }, (_, s) => ({
      id: randomUUID(),
      segment: SEGMENTS[s % SEGMENTS.length]!,
    }));
    // Batch b of a shopper carries features all equal to b and sentAt t0 + b: the newest is unambiguous.
    const batches: SyncPayload[] = shoppers.flatMap(({ id, segment }) =>
      Array.from({ length: BATCHES_PER_SHOPPER }, (_, b) =>
        syncPayload(id, { segment, sentAt: t0 + b, features: plausible(FEATURE_NAMES.map(() => b)) }),
      ),
    );
    // Replays mixed into the same stream, so some arrive while their first delivery is still in flight.
    const deliveries = shuffle([...batches, ...batches.filter((_, i) => i % (batches.length / REPLAYS) === 0)]);
    expect(deliveries.length).toBe(batches.length + REPLAYS);
    // Each client has its own address, as real shoppers do, so the per-IP budget is not what is tested here.
    const results = await runPool(
      CLIENTS,
      deliveries.map((p, i) => () => deliver(p, `10.0.${i % CLIENTS}.1`)),
    );
    const answers = results.map((r) => r.answer);
    const retries = results.reduce((n, r) => n + r.retries, 0);
    if (retries > 0) console.warn(`${retries} deliveries were retried after a 503 from wrangler dev`);

    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect({ ...Object.fromEntries(statuses), 200: 0, 202: 0 }).toEqual({ 200: 0, 202: 0 }); // nothing but 200 and 202
    // Without retries every batch is acknowledged as new exactly once; a retried delivery whose first attempt
    // was stored before the restart is acknowledged as a duplicate instead, never twice as new.
    const fresh = statuses.get(202) ?? 0;
    expect(fresh).toBeLessThanOrEqual(batches.length);
    expect(fresh).toBeGreaterThanOrEqual(batches.length - retries);
    expect(fresh + (statuses.get(200) ?? 0)).toBe(deliveries.length);
    expect(new Set(deliveries.filter((_, i) => answers[i]!.status === 202).map((p) => p.batchId)).size).toBe(fresh);

    const after = await edge.totals();
    expect({
      profiles: (after.profiles as number) - (before.profiles as number),
      syncBatches: (after.syncBatches as number) - (before.syncBatches as number),
    }).toEqual({
      profiles: SHOPPERS,
      syncBatches: SHOPPERS * BATCHES_PER_SHOPPER,
    });

    const exported = await edge.admin('/v1/export?limit=5000');
    const rows = new Map(
      (exported.body as string)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((r) => [r.anonymousId, r]),
    );
    for (const { id } of shoppers) {
      const newest = BATCHES_PER_SHOPPER - 1;
      expect(rows.get(id)).toMatchObject({ sentAt: t0 + newest, features: plausible(FEATURE_NAMES.map(() => newest)) });
    }

    const mix = await edge.admin('/v1/stats/segments?days=1');
    const today = mix.body.series.at(-1);
    expect(today.segments).toEqual(Object.fromEntries(SEGMENTS.map((s) => [s, SHOPPERS / SEGMENTS.length])));
  });
});

describe('group commit on workerd', () => {
  // Syncs that arrive together share one D1 transaction; a batch id that appears twice in one group must still
  // be stored once, and a group must not mix up whose answer is whose.
  it('stores a batch delivered 20 times at once exactly once: one 202, nineteen 200', async () => {
    const p = syncPayload(randomUUID());
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => edge.sync(p, { 'CF-Connecting-IP': `10.3.0.${i}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 202]);
    expect(answers.filter((a) => a.body.duplicate === false).length).toBe(1);
    expect((await edge.admin(`/v1/profiles/${p.anonymousId}`)).body.batches).toBe(1);
  });

  it('answers each of many simultaneous shoppers for its own batch, with its own predictions stored', async () => {
    const sent = Array.from({ length: 40 }, (_, i) =>
      syncPayload(randomUUID(), {
        valueTier: TIERS[i % TIERS.length],
        churnRisk: i / 40,
        predictedSpend: i,
        products: [{ id: `sku-${i}`, score: i + 1 }],
      }),
    );
    const answers = await Promise.all(sent.map((p, i) => edge.sync(p, { 'CF-Connecting-IP': `10.4.0.${i}` })));
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 202));
    const stored = await Promise.all(sent.map((p) => edge.admin(`/v1/profiles/${p.anonymousId}`)));
    stored.forEach((s, i) => {
      expect(s.body).toMatchObject({
        valueTier: TIERS[i % TIERS.length],
        churnRisk: i / 40,
        predictedSpend: i,
        products: [{ id: `sku-${i}`, score: i + 1 }],
        batches: 1,
      });
    });
  });
});

describe('rate limits on workerd', () => {
  /** Sends up to `max` requests, `parallel` at a time, and stops at the first 429. */
  async function untilLimited(max: number, parallel: number, send: (i: number) => Promise<Answer>) {
    const answers: Answer[] = [];
    for (let i = 0; i < max && !answers.some((a) => a.status === 429); i += parallel) {
      answers.push(...(await Promise.all(Array.from({ length: Math.min(parallel, max - i) }, (_, k) => send(i + k)))));
    }
    return answers;
  }

  // Windows are fixed 60 s buckets; 3× the limit inside two windows guarantees one of them overflows.
  it('429 rate_limited with Retry-After for one shopper past 60 syncs a minute, storing nothing for it', async () => {
    const shopper = randomUUID();
    const answers = await untilLimited(180, 1, () =>
      edge.sync(syncPayload(shopper), { 'CF-Connecting-IP': '10.1.0.1' }),
    );
    const limited = answers.at(-1)!;
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(limited.headers.get('Retry-After')).toBe('60');
    const accepted = answers.filter((a) => a.status === 202).length;
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(answers.length).toBe(accepted + 1);
    expect((await edge.admin(`/v1/profiles/${shopper}`)).body.batches).toBe(accepted);
    // Another shopper on the same IP is unaffected.
    expect((await edge.sync(syncPayload(), { 'CF-Connecting-IP': '10.1.0.1' })).status).toBe(202);
  });

  it('429 for one IP past 1,200 requests a minute, counted before the body is parsed', async () => {
    // Malformed bodies: the IP budget is spent even by requests that would be refused anyway.
    const answers = await untilLimited(3_600, 20, () =>
      edge.call('/v1/sync', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.2.0.1' },
        body: '{',
      }),
    );
    const statuses = new Set(answers.map((a) => a.status));
    expect(statuses).toEqual(new Set([400, 429]));
    expect(answers.filter((a) => a.status === 400).length).toBeGreaterThanOrEqual(1_200);
    expect((await edge.sync(syncPayload(), { 'CF-Connecting-IP': '10.2.0.2' })).status).toBe(202);
  });
});
