import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// Periods measured in seconds so the test can age data for real: every *_RETENTION_DAYS takes fractions.
const PROFILE_SECONDS = 9;
const BATCH_SECONDS = 3;
const ERASURE_SECONDS = 3;
const days = (seconds: number) => String(seconds / 86_400);
let edge: EdgeHarness;

beforeAll(async () => {
  edge = await startEdgeHarness({
    vars: {
      RETENTION_DAYS: days(PROFILE_SECONDS),
      BATCH_RETENTION_DAYS: days(BATCH_SECONDS),
      ERASURE_RETENTION_DAYS: days(ERASURE_SECONDS),
    },
    testScheduled: true,
  });
  // The segments the syncs report must be a published model's, or the edge drops them.
  const model = buildFixtureModel('retention-1', { segments: ['loyal', 'champions', 'new'] });
  expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
// wrangler's --test-scheduled route runs the worker's `scheduled` handler as the cron trigger would.
const sweep = async () => expect((await edge.call('/__scheduled?cron=17+*+*+*+*')).status).toBe(200);
const today = async () => {
  const { series } = (await edge.admin('/v1/stats/segments?days=1')).body;
  return series.find((d: { day: string }) => d.day === new Date().toISOString().slice(0, 10));
};

describe('retention on workerd', () => {
  it('sweeps batch ids, tombstones and profiles each after its own period, keeping the segment mix of the day', async () => {
    const [stale, erased, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    const started = Date.now();
    for (const p of [syncPayload(stale), syncPayload(stale), syncPayload(erased, { segment: 'new' })])
      expect((await edge.sync(p)).status).toBe(202);
    expect((await edge.call(`/v1/profiles/${erased}`, { method: 'DELETE' })).status).toBe(204);
    await sleep(BATCH_SECONDS + 1);
    expect((await edge.sync(syncPayload(fresh, { segment: 'champions' }))).status).toBe(202);
    expect(await edge.totals()).toMatchObject({ profiles: 2, syncBatches: 3, erasures: 1 });
    const mix = await today();
    expect(mix).toMatchObject({ total: 2, segments: { loyal: 1, champions: 1 } });

    await sweep();
    // Batch ids and the tombstone are past their periods, both profiles still inside theirs.
    expect(await edge.totals()).toMatchObject({ profiles: 2, syncBatches: 1, erasures: 0 });
    // The day's mix was rolled up before its batch ids went.
    expect(await today()).toEqual(mix);
    // Past its tombstone's period an erased shopper is a new shopper again.
    expect((await edge.sync(syncPayload(erased))).status).toBe(202);

    await sleep(PROFILE_SECONDS + 0.5 - (Date.now() - started) / 1000);
    await sweep();
    expect((await edge.admin(`/v1/profiles/${stale}`)).status).toBe(404);
    for (const id of [fresh, erased]) expect((await edge.admin(`/v1/profiles/${id}`)).status).toBe(200);
    expect(await edge.totals()).toMatchObject({ profiles: 2 });
  });
});
