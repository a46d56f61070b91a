import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// "Popular with shoppers like you" from real syncs on workerd: which shopper's interests count, the
// k-anonymity floor, erasure, caching and revalidation.
type Interest = { id: string; score: number }[];

async function shopper(edge: EdgeHarness, segment: string | undefined, products: Interest): Promise<string> {
  const id = randomUUID();
  const answer = await edge.sync(syncPayload(id, { segment, products }));
  expect(answer.status).toBe(202);
  return id;
}

describe('recommendations on workerd', () => {
  let edge: EdgeHarness;
  const recs = () => edge.call('/v1/recommendations');

  beforeAll(async () => {
    // TTL 0: every request recomputes, so each step below sees the syncs before it.
    edge = await startEdgeHarness({ vars: { RECS_TTL_SECONDS: '0', RECS_MIN_SHOPPERS: '3' } });
    // Segments are what a published model defines; any other name is dropped from a sync.
    const model = buildFixtureModel('recs-1', { segments: ['champions', 'at_risk'] });
    expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await edge?.stop();
  }, 30_000);

  it('is empty, not an error, before any shopper has synced', async () => {
    expect(await recs()).toMatchObject({ status: 200, body: { minShoppers: 3, everyone: [], segments: {} } });
  });

  let champion: string;
  it('ranks by how many shoppers of a segment share an interest, never showing what fewer than 3 share', async () => {
    champion = await shopper(edge, 'champions', [
      { id: 'album-a', score: 1 },
      { id: 'album-b', score: 1 },
    ]);
    await shopper(edge, 'champions', [
      { id: 'album-a', score: 2 },
      { id: 'album-b', score: 9 },
    ]);
    await shopper(edge, 'champions', [
      { id: 'album-a', score: 1 },
      { id: 'album-whale', score: 1_000 },
    ]);
    for (let i = 0; i < 3; i++) await shopper(edge, 'at_risk', [{ id: 'album-c', score: 1 }]);
    await shopper(edge, 'at_risk', [{ id: 'album-a', score: 1 }]);
    await shopper(edge, undefined, [{ id: 'album-b', score: 1 }]);

    const { status, body, headers } = await recs();
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    // album-b: 2 champions (below the floor in the segment) but 3 shoppers overall, ahead of album-c (also 3)
    // on summed weight; album-whale: one shopper, however keen.
    expect(body).toMatchObject({
      segments: { champions: ['album-a'], at_risk: ['album-c'] },
      everyone: ['album-a', 'album-b', 'album-c'],
    });
  });

  it('answers 304 to a revalidation while nothing changed', async () => {
    const first = await recs();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"recs-[0-9a-f]{16}"$/);
    expect((await edge.call('/v1/recommendations', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it("drops an erased shopper's interests at once", async () => {
    expect((await edge.call(`/v1/profiles/${champion}`, { method: 'DELETE' })).status).toBe(204);
    const { body } = await recs();
    expect(body).toMatchObject({ everyone: ['album-a', 'album-c'] });
    expect((body as { segments: object }).segments).not.toHaveProperty('champions');
  });

  it('drops a segment no model defines (__proto__), counting its shoppers for everyone only', async () => {
    for (let i = 0; i < 3; i++) await shopper(edge, '__proto__', [{ id: 'album-p', score: 1 }]);
    const { status, body } = await recs();
    expect(status).toBe(200);
    expect(Object.getOwnPropertyDescriptor((body as { segments: object }).segments, '__proto__')).toBeUndefined();
    expect((body as { everyone: string[] }).everyone).toContain('album-p');
  });
});

describe('recommendations cache on workerd', () => {
  let edge: EdgeHarness;
  beforeAll(async () => {
    edge = await startEdgeHarness({ vars: { RECS_TTL_SECONDS: '300', RECS_MIN_SHOPPERS: '1' } });
    const model = buildFixtureModel('recs-cache-1');
    expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await edge?.stop();
  }, 30_000);

  it('serves the computed table for its time to live instead of scanning profiles on every request', async () => {
    await shopper(edge, 'loyal', [{ id: 'first', score: 1 }]);
    const first = await edge.call('/v1/recommendations');
    expect(first.body).toMatchObject({ segments: { loyal: ['first'] } });
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    await shopper(edge, 'loyal', [{ id: 'second', score: 5 }]);
    expect((await edge.call('/v1/recommendations')).body).toEqual(first.body);
  });
});
