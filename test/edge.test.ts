import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../sdk/src/contract/index.js';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import type { ModelFiles } from '../edge/local/fixture-model.js';
import { plausible, startEdgeHarness, syncPayload as payload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// The real worker on workerd, with local D1/KV/R2 in a fresh directory: what `wrangler deploy` would run.
let edge: EdgeHarness;

beforeAll(async () => {
  edge = await startEdgeHarness();
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

const body = ({ status, body }: { status: number; body: unknown }) => ({ status, body });
const profile = async (id: string) => body(await edge.admin(`/v1/profiles/${id}`));
const publish = (files: ModelFiles, token = edge.token) =>
  edge
    .call('/v1/models', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: publishForm(files) })
    .then(body);
const rollback = (version: string) => edge.admin(`/v1/models/${version}/rollback`, { method: 'POST' }).then(body);

describe('edge worker on workerd', () => {
  it('is healthy with no model yet', async () => {
    expect(body(await edge.call('/healthz'))).toEqual({ status: 200, body: { ok: true, model: null } });
    expect(await edge.call('/v1/models/current')).toMatchObject({ status: 404, body: { error: { code: 'no_model' } } });
  });
});

describe('model registry on workerd', () => {
  const first = buildFixtureModel('fixture-1');
  const second = buildFixtureModel('fixture-2');

  it('publishes a model and makes it current', async () => {
    expect(await publish(first, 'wrong-token')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect(await publish(first)).toEqual({ status: 201, body: { version: 'fixture-1', current: true } });
    expect(body(await edge.call('/v1/models/current'))).toEqual({ status: 200, body: first.manifest });
    expect((await edge.call('/healthz')).body).toEqual({ ok: true, model: 'fixture-1' });
  });

  it('serves the weights byte for byte with immutable caching', async () => {
    const res = await fetch(`${edge.url}/v1/models/fixture-1/weights.bin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(first.weights);
  });

  it('refuses to publish a version twice', async () => {
    expect(await publish(first)).toMatchObject({ status: 409, body: { error: { code: 'version_exists' } } });
  });

  it('round-trips publish and rollback, with the manifest revalidated by ETag', async () => {
    const v1 = await edge.call('/v1/models/current');
    const etag1 = v1.headers.get('ETag')!;
    expect(v1.headers.get('Cache-Control')).toBe('no-cache');
    expect(await edge.call('/v1/models/current', { headers: { 'If-None-Match': etag1 } })).toMatchObject({
      status: 304,
      body: null,
    });

    expect(await publish(second)).toMatchObject({ status: 201 });
    const v2 = await edge.call('/v1/models/current', { headers: { 'If-None-Match': etag1 } });
    expect(body(v2)).toEqual({ status: 200, body: second.manifest });

    expect(await rollback('fixture-1')).toEqual({
      status: 200,
      body: { version: 'fixture-1', current: true, previous: 'fixture-2' },
    });
    const back = await edge.call('/v1/models/current', { headers: { 'If-None-Match': v2.headers.get('ETag')! } });
    expect(body(back)).toEqual({ status: 200, body: first.manifest });
    expect(back.headers.get('ETag')).toBe(etag1);
    expect((await edge.call('/healthz')).body.model).toBe('fixture-1');

    // The rolled-back-from version stays published and servable, so rolling forward is just as instant.
    expect((await edge.call('/v1/models/fixture-2/weights.bin')).status).toBe(200);
    expect(await rollback('fixture-2')).toMatchObject({
      status: 200,
      body: { version: 'fixture-2', previous: 'fixture-1' },
    });
    expect((await edge.call('/v1/models/current')).body.version).toBe('fixture-2');
  });

  it('lists versions newest first with metrics and the current one marked', async () => {
    expect(await publish(buildFixtureModel('fixture-3'))).toMatchObject({ status: 201 });
    const list = await edge.admin('/v1/models');
    expect(list.status).toBe(200);
    expect(list.body.current).toBe('fixture-3');
    expect(
      list.body.models.map((m: { version: string; current: boolean; metrics: object }) => [
        m.version,
        m.current,
        m.metrics,
      ]),
    ).toEqual([
      ['fixture-3', true, { auc: 0.5 }],
      ['fixture-2', false, { auc: 0.5 }],
      ['fixture-1', false, { auc: 0.5 }],
    ]);
  });
});

describe('sync intake on workerd', () => {
  // After the registry tests: fixture-3 is current, so its segments (browsers, loyal) and tiers (high, low)
  // are names a browser can report.
  it('stores a synced aggregate once, however often the batch is replayed', async () => {
    const shopper = randomUUID();
    const first = payload(shopper);
    expect(body(await edge.sync(first))).toEqual({ status: 202, body: { ok: true, duplicate: false } });

    const stored = await profile(shopper);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      anonymousId: shopper,
      features: first.features,
      counts: first.counts,
      segment: 'loyal',
      batches: 1,
    });

    expect(body(await edge.sync(first))).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect(await profile(shopper)).toEqual(stored);

    const second = payload(shopper, { features: plausible(FEATURE_NAMES.map(() => 7)), sentAt: first.sentAt + 1 });
    expect(body(await edge.sync(second))).toEqual({ status: 202, body: { ok: true, duplicate: false } });
    expect((await profile(shopper)).body).toMatchObject({ features: second.features, batches: 2 });
  });

  it('never rolls a profile back to an older snapshot delivered late', async () => {
    const shopper = randomUUID();
    const newer = payload(shopper, { features: plausible(FEATURE_NAMES.map(() => 2)) });
    const older = payload(shopper, { features: plausible(FEATURE_NAMES.map(() => 1)), sentAt: newer.sentAt - 60_000 });
    expect(await edge.sync(newer)).toMatchObject({ status: 202 });
    expect(body(await edge.sync(older))).toEqual({ status: 202, body: { ok: true, duplicate: false } });
    expect(body(await edge.sync(older))).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect((await profile(shopper)).body).toMatchObject({ features: newer.features, batches: 1 });
  });

  it("stores the browser's predictions and product interest, keeping the last predictions when a page sends none", async () => {
    const shopper = randomUUID();
    const scored = payload(shopper, {
      valueTier: 'high',
      churnRisk: 0.2,
      predictedSpend: 140,
      products: [{ id: 'sku-1', score: 6 }],
    });
    expect(await edge.sync(scored)).toMatchObject({ status: 202 });
    expect((await profile(shopper)).body).toMatchObject({
      valueTier: 'high',
      churnRisk: 0.2,
      predictedSpend: 140,
      products: [{ id: 'sku-1', score: 6 }],
    });

    // A page that showed the cached segment without running the model: tier known, churn and spend not.
    const cached = payload(shopper, {
      valueTier: 'low',
      products: [
        { id: 'sku-2', score: 9 },
        { id: 'sku-1', score: 6 },
      ],
      sentAt: scored.sentAt + 1,
    });
    expect(await edge.sync(cached)).toMatchObject({ status: 202 });
    expect((await profile(shopper)).body).toMatchObject({
      valueTier: 'low',
      churnRisk: 0.2,
      predictedSpend: 140,
      products: cached.products,
    });
  });

  it('keeps profiles behind the token', async () => {
    expect(await edge.call(`/v1/profiles/${randomUUID()}`)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
  });
});
