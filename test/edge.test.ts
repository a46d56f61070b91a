import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SPEC } from '../sdk/src/contract/index.js';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import type { ModelFiles } from '../edge/local/fixture-model.js';
import { startLocalEdge } from '../edge/local/start.js';
import type { LocalEdge } from '../edge/local/start.js';

// The real worker on workerd, with local D1/KV/R2 in a fresh directory: what `wrangler deploy` would run.
const TOKEN = 'test-publish-token';
let edge: LocalEdge;
let persistDir: string;

beforeAll(async () => {
  persistDir = await mkdtemp(join(tmpdir(), 'shoal-edge-'));
  edge = await startLocalEdge({ persistDir, publishToken: TOKEN });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
  await rm(persistDir, { recursive: true, force: true });
}, 30_000);

interface Answer {
  status: number;
  /** Untyped JSON from the wire; each test asserts the fields it cares about. */
  body: any;
}

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${edge.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

const auth = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });

const sync = (payload: object) =>
  call('/v1/sync', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });

const publish = (files: ModelFiles, token = TOKEN) => call('/v1/models', { method: 'POST', headers: auth(token), body: publishForm(files) });

function payload(anonymousId: string, over: Record<string, unknown> = {}) {
  return {
    batchId: randomUUID(),
    anonymousId,
    specVersion: FEATURE_SPEC.version,
    specHash: FEATURE_SPEC.hash,
    features: FEATURE_NAMES.map((_, i) => i / 2),
    counts: { events: 9, orders: 2, productViews: 4, addToCarts: 2, sessions: 3 },
    segment: 'loyal',
    sentAt: Date.now(),
    ...over,
  };
}

describe('edge worker on workerd', () => {
  it('is healthy with no model yet', async () => {
    expect(await call('/healthz')).toEqual({ status: 200, body: { ok: true, model: null } });
    expect(await call('/v1/models/current')).toMatchObject({ status: 404, body: { error: { code: 'no_model' } } });
  });

  it('stores a synced aggregate once, however often the batch is replayed', async () => {
    const shopper = randomUUID();
    const first = payload(shopper);
    expect(await sync(first)).toEqual({ status: 202, body: { ok: true, duplicate: false } });

    const stored = await call(`/v1/profiles/${shopper}`, { headers: auth() });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ anonymousId: shopper, features: first.features, counts: first.counts, segment: 'loyal', batches: 1 });

    expect(await sync(first)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect((await call(`/v1/profiles/${shopper}`, { headers: auth() })).body).toEqual(stored.body);

    const second = payload(shopper, { features: FEATURE_NAMES.map(() => 7), sentAt: first.sentAt + 1 });
    expect(await sync(second)).toEqual({ status: 202, body: { ok: true, duplicate: false } });
    expect((await call(`/v1/profiles/${shopper}`, { headers: auth() })).body).toMatchObject({ features: second.features, batches: 2 });
  });

  it('never rolls a profile back to an older snapshot delivered late', async () => {
    const shopper = randomUUID();
    const newer = payload(shopper, { features: FEATURE_NAMES.map(() => 2) });
    const older = payload(shopper, { features: FEATURE_NAMES.map(() => 1), sentAt: newer.sentAt - 60_000 });
    expect(await sync(newer)).toMatchObject({ status: 202 });
    expect(await sync(older)).toEqual({ status: 202, body: { ok: true, duplicate: false } });
    expect(await sync(older)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect((await call(`/v1/profiles/${shopper}`, { headers: auth() })).body).toMatchObject({ features: newer.features, batches: 1 });
  });

  it('refuses bad syncs with specific codes and stores nothing', async () => {
    const shopper = randomUUID();
    expect(await sync(payload(shopper, { batchId: 'x' }))).toMatchObject({ status: 422, body: { error: { code: 'invalid_payload' } } });
    expect(await sync(payload(shopper, { specHash: 'deadbeef' }))).toMatchObject({ status: 409, body: { error: { code: 'spec_mismatch' } } });
    const malformed = await call('/v1/sync', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed_json' } } });
    expect(await call(`/v1/profiles/${shopper}`, { headers: auth() })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('keeps profiles behind the token', async () => {
    expect(await call(`/v1/profiles/${randomUUID()}`)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });
});

describe('model registry on workerd', () => {
  const first = buildFixtureModel('fixture-1');

  it('publishes a model and makes it current', async () => {
    expect(await publish(first, 'wrong-token')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await publish(first)).toEqual({ status: 201, body: { version: 'fixture-1', current: true } });
    expect(await call('/v1/models/current')).toEqual({ status: 200, body: first.manifest });
    expect((await call('/healthz')).body).toEqual({ ok: true, model: 'fixture-1' });
  });

  it('serves the weights byte for byte with immutable caching', async () => {
    const res = await fetch(`${edge.url}/v1/models/fixture-1/weights.bin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(first.weights);
  });

  it('refuses corrupted weights and keeps the previous model current', async () => {
    const second = buildFixtureModel('fixture-2');
    const corrupted = { ...second, weights: second.weights.map((b, i) => (i === 5 ? b ^ 0xff : b)) };
    expect(await publish(corrupted)).toMatchObject({ status: 422, body: { error: { code: 'checksum_mismatch' } } });
    expect((await call('/v1/models/current')).body.version).toBe('fixture-1');
    expect(await call('/v1/models/fixture-2/manifest.json')).toMatchObject({ status: 404 });
  });

  it('refuses to publish a version twice', async () => {
    expect(await publish(first)).toMatchObject({ status: 409, body: { error: { code: 'version_exists' } } });
  });

  it('lists versions newest first with the current one marked', async () => {
    expect(await publish(buildFixtureModel('fixture-3'))).toMatchObject({ status: 201 });
    const list = await call('/v1/models', { headers: auth() });
    expect(list.status).toBe(200);
    expect(list.body.current).toBe('fixture-3');
    expect(list.body.models.map((m: { version: string; current: boolean }) => [m.version, m.current])).toEqual([
      ['fixture-3', true],
      ['fixture-1', false],
    ]);
  });
});
