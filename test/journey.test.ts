import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShoalStatus } from '../sdk/src/index.js';
import { anonymousId, flush, profile, ready as settled, visit as visitPath } from './support/shop.js';
import { ROOT, TOKEN, startStack, trainer, type Stack } from './support/stack.js';

/**
 * The walking skeleton's promise, end to end in real Chromium against a real local edge: behaviour changes
 * the segment and the block a shopper sees, the edge stores the shopper's aggregate, and a newly published
 * model is what the next page load runs.
 */
let stack: Stack;
const defaultVersion = (
  JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as { version: string }
).version;

beforeAll(async () => {
  stack = await startStack();
  await trainer(['publish', '--dir', join(ROOT, 'models/default'), '--edge', stack.edge.url, '--token', TOKEN]);
});
afterAll(async () => stack?.stop());

const visit = (page: Page, path: string) => visitPath(stack, page, path);

async function buy(page: Page, productIds: string[]): Promise<void> {
  for (const id of productIds) {
    await visit(page, `/product/${id}`);
    await page.click('#add-to-cart');
    await settled(page);
  }
  await visit(page, '/checkout');
  await page.click('#place-order');
  await page.waitForSelector('#order-result:has-text("Thank you")');
  await settled(page);
}

const hero = (page: Page) => page.locator('[data-shoal-block="hero"]');

describe('a shopper journey', () => {
  let browser: BrowserContext;
  let buyer: BrowserContext;
  let browserStatus: ShoalStatus;
  let buyerStatus: ShoalStatus;
  let buyerPage: Page;
  let browsePage: Page;

  beforeAll(async () => {
    browser = await stack.browser.newContext();
    buyer = await stack.browser.newContext();
    browsePage = await browser.newPage();
    for (const path of ['/', '/category/jazz', '/product/kind-of-blue', '/product/time-out', '/'])
      await visit(browsePage, path);
    browserStatus = await settled(browsePage);

    buyerPage = await buyer.newPage();
    await buy(buyerPage, ['kind-of-blue', 'ok-computer', 'goldberg-variations']);
    await buy(buyerPage, ['london-calling', 'a-love-supreme']);
    await buy(buyerPage, ['four-seasons', 'nevermind', 'time-out']);
    await buy(buyerPage, ['kind-of-blue', 'goldberg-variations']);
    await buy(buyerPage, ['ok-computer', 'london-calling', 'a-love-supreme', 'time-out']);
    await visit(buyerPage, '/');
    buyerStatus = await settled(buyerPage);
  });

  it('runs the default model on a real tfjs backend', () => {
    for (const s of [browserStatus, buyerStatus]) {
      expect(s.model).toBe(defaultVersion);
      expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(s.backend);
      expect(s.storage).toBe('indexeddb');
      expect(s.errors, s.lastError ?? '').toBe(0);
    }
    console.log(
      `e2e backend: ${buyerStatus.backend} (${buyerStatus.backendReason}); browser-only → ${browserStatus.segment}/${browserStatus.valueTier}; buyer → ${buyerStatus.segment}/${buyerStatus.valueTier}`,
    );
  });

  it('puts a heavy buyer in another segment, and shows another block variant, than a browser', async () => {
    expect(buyerStatus.segment).not.toBe(browserStatus.segment);
    expect(await hero(buyerPage).getAttribute('data-shoal-variant')).toBe(buyerStatus.segment);
    expect(await hero(browsePage).getAttribute('data-shoal-variant')).toBe(browserStatus.segment);
    expect(await hero(buyerPage).innerText()).not.toBe(await hero(browsePage).innerText());
  });

  it('stores the buyer aggregate at the edge, and nothing raw', async () => {
    expect(await flush(buyerPage)).toBe(true);
    const stored = await profile(stack, await anonymousId(buyerPage));
    expect(stored).toMatchObject({ segment: buyerStatus.segment, counts: { orders: 5, addToCarts: 14 } });
    // Product ids travel only as weighted interest counts; order ids, categories and event types never do.
    const { products, ...rest } = stored as unknown as { products: { id: string; score: number }[] };
    expect(products).toContainEqual(expect.objectContaining({ id: 'kind-of-blue' }));
    expect(Object.keys(products[0]!).sort()).toEqual(['id', 'score']);
    expect(JSON.stringify(rest)).not.toMatch(/kind-of-blue|order-|jazz|purchase/);
  });
});

describe('publishing a new model', () => {
  const out = mkdtempSync(join(tmpdir(), 'shoal-model-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('is what a fresh page load runs', async () => {
    const version = `e2e-${Date.now().toString(36)}`;
    await trainer([
      'train',
      '--data',
      join(ROOT, '../shared/data/cdnow/CDNOW_sample.txt'),
      '--out',
      out,
      '--epochs',
      '5',
      '--version',
      version,
      // This test is about publishing; the intent stage (cross-validating a tower on 12,330 UCI visits) takes
      // minutes and is covered by trainer/src/intent/ and the default model.
      '--no-intent',
    ]);
    await trainer(['publish', '--dir', out, '--edge', stack.edge.url, '--token', TOKEN]);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await visit(page, '/');
    const status = await settled(page);
    expect(status.model).toBe(version);
    expect(status.segment).not.toBeNull();
    await context.close();
  });
});
