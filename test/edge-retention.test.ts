import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// Retention measured in seconds so the test can age data for real: RETENTION_DAYS takes fractions.
const RETENTION_SECONDS = 3;
let edge: EdgeHarness;

beforeAll(async () => {
  edge = await startEdgeHarness({ vars: { RETENTION_DAYS: String(RETENTION_SECONDS / 86_400) }, testScheduled: true });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

describe('retention on workerd', () => {
  it('the daily cron deletes aggregates and batch ids older than RETENTION_DAYS and keeps fresh ones', async () => {
    const [stale, fresh] = [randomUUID(), randomUUID()];
    expect((await edge.sync(syncPayload(stale))).status).toBe(202);
    expect((await edge.sync(syncPayload(stale))).status).toBe(202);
    await new Promise((r) => setTimeout(r, (RETENTION_SECONDS + 1) * 1000));
    expect((await edge.sync(syncPayload(fresh))).status).toBe(202);
    expect(await edge.totals()).toMatchObject({ profiles: 2, syncBatches: 3 });

    // wrangler's --test-scheduled route runs the worker's `scheduled` handler as the cron trigger would.
    expect((await edge.call('/__scheduled?cron=17+3+*+*+*')).status).toBe(200);

    expect(await edge.totals()).toMatchObject({ profiles: 1, syncBatches: 1 });
    expect((await edge.admin(`/v1/profiles/${stale}`)).status).toBe(404);
    expect((await edge.admin(`/v1/profiles/${fresh}`)).status).toBe(200);
  });
});
