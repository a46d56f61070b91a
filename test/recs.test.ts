import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPayload } from '../edge/local/harness.js';
import { anonymousId, flush, open, track, visit } from './support/shop.js';
import { publishModel, ROOT, startStack, TOKEN, type Stack } from './support/stack.js';

/** "Popular with shoppers like you" end to end: browsers' interests synced, ranked per segment, rendered. */
let stack: Stack;
beforeAll(async () => {
  // TTL 0: the edge recomputes the table on each request, so each step sees the syncs before it.
  stack = await startStack({ edgeVars: { RECS_TTL_SECONDS: '0' } });
  await publishModel(stack.edge.url, join(ROOT, 'models/default'));
}, 120_000);
afterAll(async () => stack?.stop());

/** Shoppers synced straight to the edge, as other browsers would have: `count` of `segment` keen on `products`. */
async function shoppers(count: number, segment: string, products: string[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const body = syncPayload(randomUUID(), {
      segment,
      products: products.map((id, rank) => ({ id, score: 10 - rank })),
    });
    const res = await fetch(new URL('/v1/sync', stack.edge.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
  }
}

const shown = (page: Page) =>
  page.$$eval('[data-shoal-recs] [data-shoal-recs-list] a', (as) => as.map((a) => a.getAttribute('href')));

describe('recommendations block', () => {
  it("sends a shopper's product interests with the aggregate, and nothing of the visit itself", async () => {
    const context = await stack.browser.newContext();
    const page = await open(stack, context, '/');
    await track(page, 'product_view', { productId: 'time-out', category: 'jazz', price: 11.49 });
    await track(page, 'add_to_cart', { productId: 'nevermind', category: 'rock', price: 12.49, quantity: 1 });
    expect(await flush(page)).toBe(true);
    const res = await fetch(new URL(`/v1/profiles/${await anonymousId(page)}`, stack.edge.url), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const stored = (await res.json()) as {
      products: { id: string; score: number }[];
      segment: string;
      valueTier: string | null;
      churnRisk: number | null;
    };
    expect(stored.products).toEqual([
      { id: 'nevermind', score: 3 },
      { id: 'time-out', score: 1 },
    ]);
    // No order yet: a prospect, whom no model scores, so no tier and no churn risk either.
    expect(stored).toMatchObject({ segment: 'prospects', valueTier: null, churnRisk: null });
    await context.close();
  });

  it("shows the segment's popular products first, then everyone's, without naming the segment to the edge", async () => {
    await shoppers(3, 'champions', ['goldberg-variations', 'london-calling']);
    await shoppers(3, 'hibernating', ['four-seasons']);
    const context = await stack.browser.newContext();
    const asked: string[] = [];
    context.on('request', (r) => r.url().includes('/v1/recommendations') && asked.push(r.url()));

    const page = await open(stack, context, '/?shoal_segment=champions');
    // Everyone: goldberg and london (3 each, higher weight), four-seasons (3); the page shows at most 4.
    expect(await shown(page)).toEqual([
      '/product/goldberg-variations',
      '/product/london-calling',
      '/product/four-seasons',
    ]);
    expect(await page.getAttribute('[data-shoal-recs]', 'data-shoal-recs-source')).toBe('segment');

    await visit(stack, page, '/?shoal_segment=hibernating');
    expect((await shown(page))[0]).toBe('/product/four-seasons');

    await visit(stack, page, '/?shoal_segment=new');
    expect(await page.getAttribute('[data-shoal-recs]', 'data-shoal-recs-source')).toBe('everyone');
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(new URL(url).search).toBe('');
    await context.close();
  });

  it('never renders a product id the shop has no card for, however popular', async () => {
    await shoppers(3, 'loyal', ['<img src=x onerror=alert(1)>', 'not-in-the-catalogue']);
    const context = await stack.browser.newContext();
    const errors: string[] = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
    const page = await open(stack, context, '/?shoal_segment=loyal');
    const html = await page.$eval('[data-shoal-recs-list]', (ul) => ul.innerHTML);
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('not-in-the-catalogue');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('has the recommended cards in place in the first visible frame of a repeat visit', async () => {
    const context = await stack.browser.newContext();
    const page = await open(stack, context, '/?shoal_segment=champions');
    // From here on, record the list at the moment the page is first allowed to show the block.
    await page.addInitScript(() => {
      const w = window as unknown as { firstShown?: string | null };
      new MutationObserver((_, observer) => {
        if (!document.documentElement?.classList.contains('shoal-ready')) return;
        w.firstShown = document.querySelector('[data-shoal-recs-list] a')?.getAttribute('href') ?? null;
        observer.disconnect();
      }).observe(document, { attributes: true, attributeFilter: ['class'], subtree: true });
    });
    await visit(stack, page, '/?shoal_segment=champions');
    expect(await page.evaluate(() => (window as unknown as { firstShown?: string }).firstShown)).toBe(
      '/product/goldberg-variations',
    );
    await context.close();
  });
});
