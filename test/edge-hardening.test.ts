import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCEPTED_SPECS, FEATURE_NAMES } from '../sdk/src/contract/index.js';
import type { ModelManifest } from '../sdk/src/contract/index.js';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import { plausible, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';
import { useEdge } from './support/edge.js';
import { ROOT } from './support/stack.js';

// Hardening I (issue 15) on workerd: what the edge now refuses, drops and counts, and how far one network
// can move what merchandisers and shoppers read. Refusals that store nothing are rows of edge-hostile.test.ts.
const DAY = 86_400_000;
type Interest = { id: string; score: number }[];

/** A dashboard page as a signed-in merchandiser sees it (HTML). */
async function dashboard(edge: EdgeHarness, path: string): Promise<string> {
  const login = await edge.call('/dashboard/login', {
    method: 'POST',
    body: new URLSearchParams({ token: edge.token }),
    redirect: 'manual',
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).not.toBe('');
  const page = await edge.call(path, { headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  return page.body as string;
}

/** `n` fresh shoppers syncing an interest in `product`, each from the address `ip(i)`. */
async function shoppers(
  edge: EdgeHarness,
  n: number,
  product: string,
  ip: (i: number) => string,
  over: Record<string, unknown> = {},
): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const products: Interest = [{ id: product, score: 1 }];
  const answers = await Promise.all(
    ids.map((id, i) => edge.sync(syncPayload(id, { products, ...over }), { 'CF-Connecting-IP': ip(i) })),
  );
  expect(answers.map((a) => a.status)).toEqual(ids.map(() => 202));
  return ids;
}

describe('hardening on workerd', () => {
  const worker = useEdge(
    { vars: { RECS_TTL_SECONDS: '0', RECS_MIN_SHOPPERS: '3', IMAGE_HOSTS: 'cdn.shop.example' } },
    async (edge) => {
      const model = buildFixtureModel('hard-1', { tiers: ['high', 'constructor'] });
      expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
    },
  );
  let edge: EdgeHarness;
  beforeEach(() => {
    edge = worker();
  });
  const everyone = async () => (await edge.call('/v1/recommendations')).body.everyone as string[];

  describe('recommendations count people and networks (k = RECS_MIN_SHOPPERS = 3)', () => {
    it('one client minting 3 fresh ids cannot place a product', async () => {
      await shoppers(edge, 3, 'solo-3', () => '203.0.113.7');
      expect(await everyone()).not.toContain('solo-3');
    });

    it('nor with 20 fresh ids from addresses of one /24, or of one IPv6 /48', async () => {
      await shoppers(edge, 20, 'solo-20', (i) => `203.0.113.${10 + i}`);
      await shoppers(edge, 5, 'solo-v6', (i) => `2001:db8:77:${i}::1`);
      const listed = await everyone();
      expect(listed).not.toContain('solo-20');
      expect(listed).not.toContain('solo-v6');
    });

    it('3 fresh shoppers from 3 networks can', async () => {
      await shoppers(edge, 3, 'spread', (i) => ['198.51.100.4', '192.0.2.4', '2001:db8:78::1'][i]!);
      expect(await everyone()).toContain('spread');
    });

    it('3 shoppers of one network first seen more than a day ago can', async () => {
      const ids = await shoppers(edge, 3, 'veterans', () => '203.0.113.99');
      expect(await everyone()).not.toContain('veterans');
      const list = ids.map((id) => `'${id}'`).join(',');
      await edge.sql(`UPDATE profiles SET first_seen = first_seen - ${2 * DAY} WHERE anonymous_id IN (${list})`);
      expect(await everyone()).toContain('veterans');
    });

    it('ranks a product by the shoppers who share it, not by rows: a repeated id is refused', async () => {
      const repeated = Array.from({ length: 16 }, () => ({ id: 'pushed', score: 1 }));
      const answer = await edge.sync(syncPayload(randomUUID(), { products: repeated }));
      expect(answer).toMatchObject({ status: 422, body: { error: { code: 'invalid_payload' } } });
      expect(answer.body.error.message).toMatch(/^products: Product ids must not repeat/);
    });
  });

  describe('bounded numbers', () => {
    const profile = async (id: string) => (await edge.admin(`/v1/profiles/${id}`)).body;
    const features = (x: number) => plausible(FEATURE_NAMES.map(() => x));

    it('orders snapshots by the SDK’s sequence number, so a wrong clock never freezes a shopper', async () => {
      const id = randomUUID();
      const now = Date.now();
      const send = (seq: number, sentAt: number, x: number) =>
        edge.sync(syncPayload(id, { seq, sentAt, features: features(x) }));
      // A clock 23 hours ahead, then corrected: the later snapshot still wins.
      expect((await send(5, now + 23 * 3_600_000, 1)).status).toBe(202);
      expect((await send(6, now, 2)).status).toBe(202);
      expect((await profile(id)).features).toEqual(features(2));
      // A clock a month behind is still newer by sequence.
      expect((await send(7, now - 30 * DAY, 3)).status).toBe(202);
      expect((await profile(id)).features).toEqual(features(3));
      // A late delivery of an older snapshot counts as delivered and changes nothing.
      expect((await send(4, now + DAY / 2, 9)).status).toBe(202);
      expect(await profile(id)).toMatchObject({ features: features(3), batches: 3 });
    });

    it('still takes the previous payload version (no seq) and the previous feature spec', async () => {
      const id = randomUUID();
      const previous = ACCEPTED_SPECS[1]!;
      const {
        payloadVersion: _,
        seq: __,
        ...v1
      } = syncPayload(id, {
        specVersion: previous.version,
        specHash: previous.hash,
        features: previous.names.map(() => 0.5),
      });
      expect((await edge.sync(v1)).status).toBe(202);
      expect((await profile(id)).specHash).toBe(previous.hash);
    });

    it('stores an optional field it cannot accept as NULL and counts it, keeping the snapshot', async () => {
      const id = randomUUID();
      const before = (await edge.admin('/v1/stats/dropped?days=1')).body;
      const answer = await edge.sync(
        syncPayload(id, {
          segment: 'made-up',
          valueTier: 'platinum',
          churnRisk: 1.5,
          predictedSpend: 50,
          products: Array.from({ length: 17 }, (_, i) => ({ id: `p${i}`, score: 1 })),
        }),
      );
      expect(answer.status).toBe(202);
      expect(answer.body.dropped.sort()).toEqual(['churnRisk', 'products', 'segment', 'valueTier']);
      expect(await profile(id)).toMatchObject({
        segment: null,
        valueTier: null,
        churnRisk: null,
        predictedSpend: 50,
        products: [],
      });
      const after = (await edge.admin('/v1/stats/dropped?days=1')).body;
      expect(after.syncs).toBe(before.syncs + 1);
      for (const field of ['churnRisk', 'products', 'segment', 'valueTier'])
        expect(after.fields[field]).toBe((before.fields[field] ?? 0) + 1);
      const page = await dashboard(edge, '/dashboard/segments');
      expect(page).toMatch(/Fields dropped from syncs, last 7 days/);
      expect(page).toMatch(/arrived with fields the edge could not accept.*segment \d+.*valueTier \d+/s);
    });

    it('keeps a segment and tier of a model published a moment ago', async () => {
      const model = buildFixtureModel('hard-2', { segments: ['browsers', 'loyal', 'newcomers'] });
      expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) })).status).toBe(201);
      const id = randomUUID();
      const answer = await edge.sync(syncPayload(id, { segment: 'newcomers', valueTier: 'high' }));
      expect(answer.body).not.toHaveProperty('dropped');
      expect(await profile(id)).toMatchObject({ segment: 'newcomers', valueTier: 'high' });
    });

    it('counts names in Maps: a value tier named "constructor" is counted as itself', async () => {
      await edge.sync(syncPayload(randomUUID(), { segment: 'browsers', valueTier: 'constructor' }));
      const { segments } = (await edge.admin('/v1/stats/profiles?days=1')).body as {
        segments: { name: string; tiers: Record<string, unknown> }[];
      };
      expect(segments.find((s) => s.name === 'browsers')?.tiers).toEqual({ constructor: 1 });
    });
  });

  describe('block HTML', () => {
    const put = async (blocks: object) => {
      const current = (await edge.call('/v1/blocks')).body.version as number;
      return edge.admin('/v1/blocks', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: current + 1, updatedAt: new Date().toISOString(), blocks }),
      });
    };

    it('keeps no class or style, no image from elsewhere and no link but https or relative', async () => {
      const html =
        '<div class="overlay" style="position:fixed;inset:0"><a href="http://shop.example/x">x</a>' +
        '<a href="/sale">sale</a><img src="https://tracker.example/p.gif"><img src="https://cdn.shop.example/a.png"></div>';
      const saved = await put({ hero: { default: { html } } });
      expect(saved.status).toBe(200);
      expect(saved.body.blocks.hero.default.html).toBe(
        '<div><a rel="noopener noreferrer">x</a><a href="/sale" rel="noopener noreferrer">sale</a>' +
          '<img src="https://cdn.shop.example/a.png" /></div>',
      );
    });

    it('refuses an image URL from a host that is neither the shop’s nor in IMAGE_HOSTS', async () => {
      const answer = await put({ hero: { default: { imageUrl: 'https://tracker.example/p.gif' } } });
      expect(answer).toMatchObject({ status: 422, body: { error: { code: 'invalid_config' } } });
    });

    it('re-sanitises on an API revert, as the dashboard does', async () => {
      // A version saved under an older, looser policy: written straight into D1, as no request can now.
      const { version } = (await edge.call('/v1/blocks')).body as { version: number };
      const loose = JSON.stringify({
        version: version + 1,
        updatedAt: new Date().toISOString(),
        blocks: { hero: { default: { html: '<p class="promo">Hi<img src="https://tracker.example/p.gif"></p>' } } },
      }).replaceAll("'", "''");
      await edge.sql(
        `INSERT INTO block_configs (version, config, updated_at) VALUES (${version + 1}, '${loose}', ${Date.now()})`,
      );
      const reverted = await edge.admin('/v1/blocks/revert', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: version + 1 }),
      });
      expect(reverted.status).toBe(200);
      expect(reverted.body).toMatchObject({
        version: version + 2,
        blocks: { hero: { default: { html: '<p>Hi</p>' } } },
      });
    });
  });
});

describe('poisoning the dashboard on workerd', () => {
  let edge: EdgeHarness;
  const dir = join(ROOT, 'models/default');
  const files = {
    manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest,
    modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
    weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))),
  };
  const manifest = files.manifest;

  const worker = useEdge({}, async (edge) => {
    expect((await edge.admin('/v1/models', { method: 'POST', body: publishForm(files) })).status).toBe(201);
  });
  beforeEach(() => {
    edge = worker();
  });

  /** Customers far from the training data: every feature in its histogram's top bin (as far as plausible). */
  const shifted = () => plausible(manifest.histograms!.map(({ edges }) => (edges.at(-2)! + edges.at(-1)!) / 2));
  const scripted = 300;
  const segment = manifest.segments[1]!.name;

  it('one network’s scripted customers raise no drift alarm, however far they moved', async () => {
    const ids = Array.from({ length: scripted }, () => randomUUID());
    for (let i = 0; i < ids.length; i += 30) {
      const answers = await Promise.all(
        ids
          .slice(i, i + 30)
          .map((id) =>
            edge.sync(syncPayload(id, { segment, features: shifted() }), { 'CF-Connecting-IP': '203.0.113.66' }),
          ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    }
    const drift = (await edge.admin('/v1/stats/drift')).body;
    expect(drift).toMatchObject({ sample: scripted, sources: 1, capped: true, alarm: false });
    expect(drift.features.some((f: { level: string }) => f.level === 'significant')).toBe(true);
    expect(await dashboard(edge, '/dashboard/drift')).toMatch(/Too few networks to judge drift/);
  });

  it('caps that network’s share of the segment mix and says so', async () => {
    const others = 40;
    await Promise.all(
      Array.from({ length: others }, (_, i) =>
        edge.sync(syncPayload(randomUUID(), { segment: manifest.segments[2]!.name }), {
          'CF-Connecting-IP': `198.18.${i}.1`,
        }),
      ),
    );
    const today = (await edge.admin('/v1/stats/segments?days=1')).body.series.at(-1);
    expect(today.capped).toBe(true);
    expect(today.segments[segment] / today.total).toBeLessThanOrEqual(0.2 + 1e-9);
    expect(today.segments[manifest.segments[2]!.name]).toBe(others);
    expect(await dashboard(edge, '/dashboard/segments')).toMatch(/Capped on \d{4}-\d\d-\d\d: one network sent more/);
  });
});
