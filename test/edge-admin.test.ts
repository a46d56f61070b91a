import { createHash, randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRowSchema, FEATURE_NAMES } from '../sdk/src/contract/index.js';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import type { ModelFiles } from '../edge/local/fixture-model.js';
import { plausible, startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// Blocks, shopper rights, export and monitoring against the real worker.
const SHOP = 'https://shop.example';
const NAMED = [
  { name: 'alice', token: 'alice-publish-token' },
  { name: 'ci', token: 'ci:token-with-colon' },
];
let edge: EdgeHarness;

beforeAll(async () => {
  // Named tokens beside the harness's single one, which counts as "default".
  edge = await startEdgeHarness({
    allowedOrigins: SHOP,
    vars: { PUBLISH_TOKENS: NAMED.map((p) => `${p.name}:${p.token}`).join(',') },
  });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

const json = { 'Content-Type': 'application/json' };
const putBlocks = (config: object) =>
  edge.admin('/v1/blocks', { method: 'PUT', headers: json, body: JSON.stringify(config) });
const publish = (files: ModelFiles) => edge.admin('/v1/models', { method: 'POST', body: publishForm(files) });
const hashOf = (email: string) => createHash('sha256').update(email).digest('hex');

describe('block configuration on workerd', () => {
  const now = () => new Date().toISOString();

  it('serves an empty configuration before the first save, publicly, with an ETag', async () => {
    const res = await edge.call('/v1/blocks', { headers: { Origin: 'https://anywhere.example' } });
    expect(res.body).toEqual({ version: 0, updatedAt: '1970-01-01T00:00:00.000Z', blocks: {} });
    expect(res.headers.get('ETag')).toBe('"blocks-0"');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await edge.call('/v1/blocks', { headers: { 'If-None-Match': '"blocks-0"' } })).toMatchObject({
      status: 304,
      body: null,
    });
  });

  it('saves version after version, sanitising HTML, refusing stale writers, and reverts as a new version', async () => {
    const v1 = {
      version: 1,
      updatedAt: now(),
      blocks: {
        hero: { default: { title: 'Welcome' }, loyal: { html: '<p onclick="x()">Hi<script>x()</script></p>' } },
      },
    };
    const saved1 = await putBlocks(v1);
    expect(saved1).toMatchObject({
      status: 200,
      body: { version: 1, blocks: { hero: { loyal: { html: '<p>Hi</p>' } } } },
    });
    expect(saved1.headers.get('ETag')).toBe('"blocks-1"');

    const served = await edge.call('/v1/blocks', { headers: { 'If-None-Match': '"blocks-0"' } });
    expect(served).toMatchObject({ status: 200, body: saved1.body });
    expect(await edge.call('/v1/blocks', { headers: { 'If-None-Match': 'W/"blocks-1"' } })).toMatchObject({
      status: 304,
    });

    const v2 = { version: 2, updatedAt: now(), blocks: { hero: { default: { title: 'Sale' } } } };
    expect(await putBlocks(v2)).toMatchObject({ status: 200, body: { version: 2 } });
    // A second editor who loaded version 1 also saves "version 2": refused, and told the current version.
    expect(await putBlocks({ ...v2, blocks: {} })).toMatchObject({
      status: 409,
      body: { error: { code: 'version_conflict', message: expect.stringContaining('current is 2') } },
    });

    const reverted = await edge.admin('/v1/blocks/revert', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ version: 1 }),
    });
    expect(reverted).toMatchObject({ status: 200, body: { version: 3, blocks: saved1.body.blocks } });
    expect((await edge.call('/v1/blocks')).body).toEqual(reverted.body);

    const history = await edge.admin('/v1/blocks/versions');
    expect(history.body.current).toBe(3);
    expect(
      history.body.versions.map(
        (x: { version: number; revertedFrom: number | null; savedBy: string; blocks: number }) => [
          x.version,
          x.revertedFrom,
          x.savedBy,
          x.blocks,
        ],
      ),
    ).toEqual([
      [3, 1, 'default', 1],
      [2, null, 'default', 1],
      [1, null, 'default', 1],
    ]);
    expect((await edge.admin('/v1/blocks/versions/2')).body).toMatchObject({ version: 2, blocks: v2.blocks });
    expect(
      await edge.admin('/v1/blocks/revert', { method: 'POST', headers: json, body: '{"version":99}' }),
    ).toMatchObject({ status: 404 });
  });

  it('lets exactly one of several concurrent writers of the same version win', async () => {
    const current = (await edge.call('/v1/blocks')).body.version as number;
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        putBlocks({ version: current + 1, updatedAt: now(), blocks: { hero: { default: { title: `writer ${i}` } } } }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  });
});

describe('shopper rights on workerd', () => {
  it('erases a shopper by anonymous id from the storefront, idempotently, batches included', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    for (const p of [syncPayload(a), syncPayload(a), syncPayload(b)]) expect((await edge.sync(p)).status).toBe(202);
    const before = await edge.totals();

    const erase = () => edge.call(`/v1/profiles/${a}`, { method: 'DELETE', headers: { Origin: SHOP } });
    const first = await erase();
    expect(first).toMatchObject({ status: 204, body: null });
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe(SHOP);
    expect(await erase()).toMatchObject({ status: 204 });
    expect(await edge.call(`/v1/profiles/${randomUUID()}`, { method: 'DELETE' })).toMatchObject({ status: 204 });

    expect((await edge.admin(`/v1/profiles/${a}`)).status).toBe(404);
    expect((await edge.admin(`/v1/profiles/${b}`)).status).toBe(200);
    const after = await edge.totals();
    expect([
      (before.profiles as number) - (after.profiles as number),
      (before.syncBatches as number) - (after.syncBatches as number),
    ]).toEqual([1, 2]);
    expect(
      await edge.call(`/v1/profiles/${b}`, { method: 'DELETE', headers: { Origin: 'https://evil.example' } }),
    ).toMatchObject({ status: 403 });
  });

  it('erases every browser of a signed-in person by hashed user id (token only)', async () => {
    const hash = hashOf(`${randomUUID()}@example.com`);
    const browsers = [randomUUID(), randomUUID()];
    for (const id of browsers) expect((await edge.sync(syncPayload(id, { userIdHash: hash }))).status).toBe(202);
    expect((await edge.call(`/v1/profiles?userIdHash=${hash}`, { method: 'DELETE' })).status).toBe(401);
    expect(await edge.admin(`/v1/profiles?userIdHash=${hash}`, { method: 'DELETE' })).toMatchObject({
      status: 200,
      body: { erased: 2 },
    });
    for (const id of browsers) expect((await edge.admin(`/v1/profiles/${id}`)).status).toBe(404);
    expect(await edge.admin(`/v1/profiles?userIdHash=${hash}`, { method: 'DELETE' })).toMatchObject({
      status: 200,
      body: { erased: 0 },
    });
  });
});

describe('export for the trainer on workerd', () => {
  it('pages through every profile exactly once with an opaque cursor, each line an ExportRow', async () => {
    for (let i = 0; i < 7; i++) expect((await edge.sync(syncPayload())).status).toBe(202);
    const total = (await edge.totals()).profiles as number;
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const res = await edge.admin(`/v1/export?limit=3&cursor=${cursor}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/x-ndjson');
      const lines = (res.body ?? '').split('\n').filter(Boolean);
      for (const line of lines) seen.push(v.parse(ExportRowSchema, JSON.parse(line)).anonymousId);
      cursor = res.headers.get('Shoal-Next-Cursor') ?? '';
      if (cursor === '') break;
      expect(lines.length).toBe(3);
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual([...seen].sort());
    expect(await edge.admin('/v1/export?limit=0')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_limit' } },
    });
  });
});

describe('monitoring on workerd', () => {
  it('reports the segment mix per day', async () => {
    const res = await edge.admin('/v1/stats/segments?days=7');
    expect(res.status).toBe(200);
    const today = res.body.series.at(-1);
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    // No model defines "loyal" yet, so those syncs were stored without a segment.
    expect(today.segments['(none)']).toBeGreaterThan(0);
    expect(today.capped).toBe(false);
    expect(today.total).toBe(Object.values(today.segments as Record<string, number>).reduce((a, b) => a + b, 0));
  });

  it('says explicitly when drift cannot be measured', async () => {
    expect((await edge.admin('/v1/stats/drift')).body).toMatchObject({
      model: null,
      histograms: false,
      reason: expect.stringContaining('No model'),
      features: [],
    });
    expect((await publish(buildFixtureModel('no-histograms'))).status).toBe(201);
    expect((await edge.admin('/v1/stats/drift')).body).toMatchObject({
      model: 'no-histograms',
      histograms: false,
      reason: expect.stringContaining('no histograms'),
    });
  });

  it('computes PSI per feature against the manifest histograms: stable where traffic matches, significant where it moved', async () => {
    // Training saw every feature spread evenly over [0, 10). Recent shoppers still do for feature 0, but
    // all sit in the top bin for every other feature.
    const histogram = { edges: [0, 2, 4, 6, 8, 10], counts: [100, 100, 100, 100, 100] };
    const base = buildFixtureModel('with-histograms');
    const model = { ...base, manifest: { ...base.manifest, histograms: FEATURE_NAMES.map(() => histogram) } };
    expect((await publish(model)).status).toBe(201);
    const customers = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const features = plausible(FEATURE_NAMES.map((_, f) => (f === 0 ? (i % 5) * 2 + 1 : 9)));
        expect((await edge.sync(syncPayload(randomUUID(), { features }))).status).toBe(202);
      }
    };
    const drift = async () => (await edge.admin('/v1/stats/drift?days=1')).body;
    await customers(50);
    const early = await drift();
    expect(early).toMatchObject({ model: 'with-histograms', histograms: true, minSample: 100 });
    expect(early.sample).toBeGreaterThanOrEqual(50);
    expect(early.sample).toBeLessThan(100);
    const byName = Object.fromEntries(
      early.features.map((f: { name: string; psi: number; level: string }) => [f.name, f]),
    );
    expect(byName[FEATURE_NAMES[1]].level).toBe('significant');
    // Feature 0 of the earlier syncs (value 0) also lands in the first bin, so allow a little drift.
    expect(byName[FEATURE_NAMES[0]].psi).toBeLessThan(byName[FEATURE_NAMES[1]].psi);
    expect(early.features).toHaveLength(FEATURE_NAMES.length);
    // Significant indices from fewer customers than the minimum are noise, not an alarm.
    expect(early.alarm).toBe(false);

    // Visitors with no order are outside the training population: counted apart, never compared.
    const ordersAt = FEATURE_NAMES.indexOf('orders');
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await edge.sync(
            syncPayload(randomUUID(), { features: plausible(FEATURE_NAMES.map((_, f) => (f === ordersAt ? 0 : 9))) }),
          )
        ).status,
      ).toBe(202);
    }
    const withProspects = await drift();
    expect(withProspects.sample).toBe(early.sample);
    expect(withProspects.prospects).toBe(early.prospects + 3);

    await customers(100 - early.sample);
    expect(await drift()).toMatchObject({ sample: 100, alarm: true });
  });
});

describe('model registry attribution on workerd', () => {
  const as =
    (token: string) =>
    (path: string, init: RequestInit = {}) =>
      edge.call(path, { ...init, headers: { Authorization: `Bearer ${token}` } });
  const [alice, ci] = NAMED.map((p) => as(p.token)) as [ReturnType<typeof as>, ReturnType<typeof as>];

  it('records who published each version and who rolled back, in the listing and its change log', async () => {
    expect((await publish(buildFixtureModel('by-default'))).status).toBe(201);
    expect(
      (await alice('/v1/models', { method: 'POST', body: publishForm(buildFixtureModel('by-alice')) })).status,
    ).toBe(201);
    expect((await ci('/v1/models', { method: 'POST', body: publishForm(buildFixtureModel('by-ci')) })).status).toBe(
      201,
    );
    expect((await alice('/v1/models/by-default/rollback', { method: 'POST' })).status).toBe(200);
    expect((await ci('/v1/models/by-alice/rollback', { method: 'POST' })).body).toEqual({
      version: 'by-alice',
      current: true,
      previous: 'by-default',
    });
    // Back to what is current already: nothing changes, nothing is logged.
    expect((await ci('/v1/models/by-alice/rollback', { method: 'POST' })).status).toBe(200);

    const list = await edge.admin('/v1/models');
    const byVersion = Object.fromEntries(list.body.models.map((m: { version: string }) => [m.version, m]));
    expect(byVersion['by-alice']).toMatchObject({
      publishedBy: 'alice',
      current: true,
      lastRollback: { by: 'ci', at: expect.any(String) },
    });
    // The single PUBLISH_TOKEN publishes as "default".
    expect(byVersion['by-default']).toMatchObject({
      publishedBy: 'default',
      current: false,
      lastRollback: { by: 'alice' },
    });
    expect(byVersion['by-ci']).toMatchObject({ publishedBy: 'ci', current: false, lastRollback: null });
    const recent = list.body.events
      .slice(0, 4)
      .map((e: { action: string; version: string; previous: string | null; by: string }) => [
        e.action,
        e.version,
        e.previous,
        e.by,
      ]);
    expect(recent).toEqual([
      ['rollback', 'by-alice', 'by-default', 'ci'],
      ['rollback', 'by-default', 'by-ci', 'alice'],
      ['publish', 'by-ci', 'by-alice', 'ci'],
      ['publish', 'by-alice', 'by-default', 'alice'],
    ]);
    expect(Date.parse(list.body.events[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });
});
