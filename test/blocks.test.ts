import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush, framesOf, open, purchase, ready, recordFrames, status, track, until, visit } from './support/shop.js';
import { publishModel, ROOT, startStack, TOKEN, type Stack } from './support/stack.js';

/** In-page inference and blocks in real Chromium: fallbacks, refusals, live re-scoring, preview, first frame. */
let stack: Stack;
const model = JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as {
  version: string;
  segments: { name: string }[];
};
beforeAll(async () => {
  stack = await startStack();
  await publishModel(stack.edge.url, join(ROOT, 'models/default'));
});
afterAll(async () => stack?.stop());

const hero = (page: Page) => page.getAttribute('[data-shoal-block="hero"]', 'data-shoal-variant');

/** A context whose pages collect uncaught errors, so a test can assert the page never saw one. */
async function watchedContext(): Promise<{ context: BrowserContext; errors: string[] }> {
  const context = await stack.browser.newContext();
  const errors: string[] = [];
  context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  return { context, errors };
}

describe('inference and blocks', () => {
  it('falls back without WebGPU and still personalises', async () => {
    const { context, errors } = await watchedContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
    const page = await open(stack, context, '/');
    const s = await status(page);
    expect(['wasm', 'cpu', 'webgl']).toContain(s.backend);
    expect(s.backendReason).toMatch(/webgpu skipped: no navigator\.gpu/);
    expect(s.segment).not.toBeNull();
    expect(await hero(page)).toBe(s.segment);
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [name, fault] of [
    [
      'the model is missing (404)',
      { path: '**/v1/models/current', status: 404, body: '{"error":{"code":"no_model","message":"none"}}' },
    ],
    ['the weights are corrupt', { path: '**/weights.bin', status: 200, body: 'x'.repeat(64) }],
    [
      'the model was trained on another feature spec',
      { path: '**/v1/models/current', status: 200, body: 'wrong-spec' },
    ],
  ] as const) {
    it(`shows default content, with no error in the page, when ${name}`, async () => {
      const { context, errors } = await watchedContext();
      await context.route(fault.path, async (route) => {
        const body =
          fault.body === 'wrong-spec'
            ? JSON.stringify({
                ...JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')),
                featureSpec: { version: 1, hash: '00000000', names: [] },
              })
            : fault.body;
        await route.fulfill({ status: fault.status, contentType: 'application/json', body });
      });
      const page = await open(stack, context, '/');
      const s = await status(page);
      expect(s.model).toBeNull();
      expect(s.segment).toBeNull();
      expect(s.lastError).toMatch(/model/);
      expect(await hero(page)).toBe('default');
      expect(await page.evaluate(() => document.documentElement.classList.contains('shoal-ready'))).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('keeps the last good model in force when the edge serves a bad one', async () => {
    const { context, errors } = await watchedContext();
    const page = await open(stack, context, '/');
    expect((await status(page)).model).toBe(model.version);
    await context.route('**/v1/models/current', async (route) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ...manifest, featureSpec: { version: 1, hash: '00000000', names: [] } }),
      });
    });
    await visit(stack, page, '/category/jazz');
    const s = await status(page);
    expect(s.model).toBe(model.version);
    expect(s.modelRefused).toMatch(/feature spec 00000000/);
    expect(s.segment).not.toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  // Models that pass every check made before decoding (valid manifest, this SDK's feature spec, sha256).
  const goodWeights = readFileSync(join(ROOT, 'models/default/weights.bin'));
  for (const [name, weights] of [
    ['predicts NaN', Buffer.from(new Float32Array(goodWeights.byteLength / 4).fill(Number.NaN).buffer)],
    ['does not decode (weights short of the graph)', goodWeights.subarray(0, goodWeights.byteLength - 4)],
  ] as const) {
    it(`keeps the last good model on this page and the next when the edge then serves one that ${name}`, async () => {
      const { context, errors } = await watchedContext();
      const page = await open(stack, context, '/');
      for (let i = 0; i < 3; i++) await track(page, 'purchase', purchase(`o-badmodel-${i}`, 40));
      const good = await until(page, (s) => s.valueTier !== null && s.model === model.version, 'a scored segment');
      const manifest = JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as {
        weights: object;
      };
      const bad = {
        ...manifest,
        version: 'bad-after-good',
        weights: {
          ...manifest.weights,
          bytes: weights.byteLength,
          sha256: createHash('sha256').update(weights).digest('hex'),
        },
      };
      await context.route('**/v1/models/current', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(bad) }),
      );
      await context.route('**/v1/models/bad-after-good/weights.bin', (route) =>
        route.fulfill({ status: 200, contentType: 'application/octet-stream', body: weights }),
      );
      for (let visits = 0; visits < 2; visits++) {
        await visit(stack, page, '/');
        const s = await until(page, (x) => x.modelRefused !== null, 'the bad model to be refused');
        expect(s.model).toBe(model.version);
        expect(s.backend).not.toBeNull();
        expect(s.modelRefused).toMatch(/^model bad-after-good refused: /);
        expect(s.segment).toBe(good.segment);
        expect(await hero(page)).toBe(good.segment);
      }
      expect(await page.evaluate(() => JSON.parse(localStorage.getItem('shoal:model')!).version)).toBe(model.version);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('scores a page from the cached model before the edge answers, on the backend chosen by an earlier page', async () => {
    const { context, errors } = await watchedContext();
    const page = await open(stack, context, '/');
    for (let i = 0; i < 3; i++) await track(page, 'purchase', purchase(`o-cached-${i}`, 40));
    const first = await until(page, (s) => s.segment !== null && s.valueTier !== null, 'a scored segment');
    expect(first.backendReason).toMatch(/measured .* ms\/row/);
    // No segment remembered, no Cache Storage copy, and the edge's manifest held back for 3 s: only the
    // weights mirrored in localStorage (checked against the manifest's sha256) can score before then.
    await page.evaluate(async () => {
      localStorage.removeItem('shoal:score');
      await caches.delete('shoal-models-v1');
    });
    await context.route('**/v1/models/current', async (route) => {
      await new Promise((r) => setTimeout(r, 3000));
      await route.continue();
    });
    await page.goto(new URL('/', stack.shop.url).href);
    await page.waitForFunction(
      (segment) =>
        document.documentElement.classList.contains('shoal-ready') &&
        document.querySelector('[data-shoal-block="hero"]')?.getAttribute('data-shoal-variant') === segment,
      first.segment,
      { timeout: 2500 },
    );
    const s = await ready(page);
    expect(s.segment).toBe(first.segment);
    expect(s.model).toBe(model.version);
    expect(s.backend).toBe(first.backend);
    expect(s.backendReason).toMatch(/\(remembered\)$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses mirrored weights that fail their sha256, waits for the edge, and repairs the mirror', async () => {
    const { context, errors } = await watchedContext();
    const page = await open(stack, context, '/');
    await track(page, 'purchase', purchase('o-mirror', 40));
    const first = await until(page, (s) => s.valueTier !== null, 'a scored segment');
    const mirror = await page.evaluate(() => localStorage.getItem('shoal:model-weights'));
    expect(mirror).not.toBeNull();
    await page.evaluate(async () => {
      const m = JSON.parse(localStorage.getItem('shoal:model-weights')!) as { sha256: string; weights: string };
      localStorage.setItem(
        'shoal:model-weights',
        JSON.stringify({ ...m, weights: btoa('x'.repeat(atob(m.weights).length)) }),
      );
      localStorage.removeItem('shoal:score');
      await caches.delete('shoal-models-v1');
    });
    await visit(stack, page, '/');
    const s = await status(page);
    expect(s.segment).toBe(first.segment);
    expect(s.model).toBe(model.version);
    expect(await page.evaluate(() => localStorage.getItem('shoal:model-weights'))).toBe(mirror);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('re-scores as the shopper acts: the block changes mid-visit and segmentchange fires', async () => {
    const { context } = await watchedContext();
    const page = await open(stack, context, '/');
    const before = await status(page);
    await page.evaluate(() => {
      (window as unknown as { changes: unknown[] }).changes = [];
      addEventListener('shoal:segmentchange', (e) =>
        (window as unknown as { changes: unknown[] }).changes.push((e as CustomEvent).detail),
      );
    });
    for (let i = 0; i < 5; i++) await track(page, 'purchase', purchase(`o-live-${i}`, 60));
    const after = await until(page, (s) => s.segment !== before.segment, 'the segment to change');
    expect(await hero(page)).toBe(after.segment);
    expect(await page.evaluate(() => (window as unknown as { changes: unknown[] }).changes)).toContainEqual(
      expect.objectContaining({ from: before.segment, to: after.segment }),
    );
    await context.close();
  });

  it('lets a merchandiser preview any segment with ?shoal_segment=, syncing nothing of the preview', async () => {
    const { context } = await watchedContext();
    const syncs: string[] = [];
    context.on('request', (r) => r.url().endsWith('/v1/sync') && syncs.push(r.url()));
    const target = model.segments.at(-1)!.name;
    const page = await open(stack, context, `/?shoal_segment=${target}`);
    await track(page, 'product_view', { productId: 'time-out', category: 'jazz', price: 11.49 });
    const s = await status(page);
    expect(s.preview).toBe(true);
    expect(s.segment).toBe(target);
    expect(s.syncBlocked).toBe('preview');
    expect(await hero(page)).toBe(target);
    expect(await flush(page)).toBe(false);
    expect(syncs).toEqual([]);
    await context.close();
  });

  it('paints the right variant in the first visible frame of a repeat visit', async () => {
    const { context } = await watchedContext();
    const page = await open(stack, context, '/');
    const expected = (await status(page)).segment;
    await recordFrames(context);
    await visit(stack, page, '/');
    await page.waitForTimeout(500);
    const frames = await framesOf(page);
    const shown = frames.filter((f) => f.visible);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((f) => f.variant !== expected)).toEqual([]);
    await context.close();
  });

  it("renders the merchandisers' configured variant for that segment only, with their HTML sanitised", async () => {
    const { context, errors } = await watchedContext();
    const page = await open(stack, context, '/');
    const segment = (await status(page)).segment!;
    const other = model.segments.map((x) => x.name).find((n) => n !== segment)!;
    const current = (await (await fetch(new URL('/v1/blocks', stack.edge.url))).json()) as { version: number };
    const config = {
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
      blocks: {
        hero: {
          [segment]: {
            html: '<p class="configured">Configured for you</p><img src="x" onerror="window.pwned=1"><script>window.pwned=2</script>',
          },
          [other]: { text: 'Not for you' },
        },
      },
    };
    const saved = await fetch(new URL('/v1/blocks', stack.edge.url), {
      method: 'PUT',
      body: JSON.stringify(config),
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
    expect(saved.status).toBe(200);
    await visit(stack, page, '/');
    await page.locator('[data-shoal-block="hero"] p', { hasText: 'Configured for you' }).waitFor({ timeout: 10_000 });
    // No class survives: a block must not borrow the shop's CSS.
    expect(await page.locator('[data-shoal-block="hero"] p[class]').count()).toBe(0);
    expect(await page.innerText('[data-shoal-block="hero"]')).toContain('Configured for you');
    expect(await page.innerText('[data-shoal-block="hero"]')).not.toContain('Not for you');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('[data-shoal-block="hero"] [onerror], [data-shoal-block="hero"] script').count()).toBe(0);
    expect(errors).toEqual([]);

    const previewing = await open(stack, context, `/?shoal_segment=${other}`);
    expect(await previewing.innerText('[data-shoal-block="hero"]')).toContain('Not for you');
    await context.close();
  });

  it('shows a debug overlay with the decision and the features behind it', async () => {
    const { context, errors } = await watchedContext();
    const page = await open(stack, context, '/');
    for (let i = 0; i < 3; i++) await track(page, 'purchase', purchase(`o-debug-${i}`, 40));
    await page.evaluate(() => (window as unknown as { shoal: { debug(): Promise<void> } }).shoal.debug());
    const text = await page.evaluate(() => document.getElementById('shoal-debug')?.shadowRoot?.textContent ?? '');
    const s = await status(page);
    expect(text).toContain(s.segment!);
    expect(text).toContain(s.backend!);
    expect(text).toContain(s.model!);
    expect(text).toMatch(/(orders|revenue|recency_days|tenure_days)[^a-z]*[+-]\d/);
    await page.evaluate(() => (window as unknown as { shoal: { debug(): Promise<void> } }).shoal.debug());
    expect(await page.locator('#shoal-debug').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
