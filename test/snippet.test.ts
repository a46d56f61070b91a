import type { BrowserContext, Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Shoal, ShoalStatus } from '../sdk/src/index.js';
import { holdSdk, status } from './support/shop.js';
import { useStack } from './support/use-stack.js';

/**
 * The inline snippet in real Chromium, before shoal.js arrives and when it never does: every public call is
 * safe, queued calls are answered once the SDK runs, and nothing waits for ever when it is blocked.
 */
const stack = useStack();

/** A page of the demo shop whose uncaught errors (and unhandled rejections) are collected. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(stack().shop.url, { waitUntil: 'domcontentloaded' });
  return { page, errors };
}

/**
 * Calls all nine public functions on the snippet's stub, as a storefront's own script would, and keeps the
 * promises on `window` so the test can look at how they settle.
 */
function callEverything(page: Page) {
  return page.evaluate(() => {
    const s = (window as unknown as { shoal: Shoal & { q?: unknown[] } }).shoal;
    if (!Array.isArray(s.q)) throw new Error('the SDK was already loaded; the stub was not exercised');
    const returned = {
      track: s.track('search', { query: 'before load' }),
      identify: s.identify('customer-before-load'),
      consent: s.consent({ personalise: true }),
      reset: s.reset(),
    };
    const loading = s.status();
    (window as unknown as { pending: unknown }).pending = Promise.all([s.flush(), s.debug(), s.ready(), s.forget()]);
    return { returned, loading };
  });
}

const settled = (page: Page) =>
  page.evaluate(() => (window as unknown as { pending: Promise<[unknown, unknown, ShoalStatus, unknown]> }).pending);

describe('snippet', () => {
  it('takes every public call before shoal.js arrives, without an error in the page, and answers them once it runs', async () => {
    const context = await stack().browser.newContext();
    const release = await holdSdk(context);
    const { page, errors } = await watchedPage(context);
    const { returned, loading } = await callEverything(page);
    expect(returned).toEqual({});
    expect(loading.state).toBe('loading');
    expect(loading.segment).toBeNull();
    release();
    const [flushed, debugged, ready, forgotten] = await settled(page);
    expect(ready.state).toBe('ready');
    // The stub's status has exactly the fields of the SDK's, so code reading one works on the other.
    expect(Object.keys(loading).sort()).toEqual(Object.keys(ready).sort());
    expect(typeof flushed).toBe('boolean');
    expect([debugged, forgotten]).toEqual([undefined, undefined]);
    expect(await page.locator('#shoal-debug').count()).toBe(1);
    expect((await status(page)).state).toBe('ready');
    expect(errors).toEqual([]);
    await context.close();
  });

  const blocked: [string, (route: Route) => Promise<void>][] = [
    ['blocked by an ad blocker', (route) => route.abort('blockedbyclient')],
    ['answered with a 404', (route) => route.fulfill({ status: 404, body: 'not found' })],
  ];
  for (const [how, answer] of blocked) {
    it(`answers 'failed' at once and settles every promise when shoal.js is ${how}`, async () => {
      const context = await stack().browser.newContext();
      await context.route('**/shoal.js', answer);
      const { page, errors } = await watchedPage(context);
      await page.waitForFunction(
        () => (window as unknown as { shoal: Shoal }).shoal.status().state === 'failed',
        null,
        {
          timeout: 5000,
        },
      );
      await callEverything(page);
      const [flushed, debugged, ready, forgotten] = await settled(page);
      expect(ready.state).toBe('failed');
      expect([flushed, debugged, forgotten]).toEqual([false, undefined, undefined]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('answers a ready() made while loading with the failed status when a CSP blocks shoal.js', async () => {
    const context = await stack().browser.newContext();
    // The storefront's own policy allows only its own scripts (and the inline snippet), not the edge's.
    await context.route(stack().shop.url, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "script-src 'self' 'unsafe-inline'" },
      });
    });
    const { page, errors } = await watchedPage(context);
    const ready = await page.evaluate(() => (window as unknown as { shoal: Shoal }).shoal.ready());
    expect(ready.state).toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('settles ready() with the failed status after its timeout when shoal.js never arrives', async () => {
    const context = await stack().browser.newContext();
    // The request hangs: no answer, no error, as on a stalled connection.
    await context.route('**/shoal.js', () => undefined);
    const { page, errors } = await watchedPage(context);
    const started = Date.now();
    await callEverything(page);
    const [flushed, , ready] = await settled(page);
    expect(ready.state).toBe('failed');
    expect(flushed).toBe(false);
    // README documents 10 s from the snippet's start; the page started a little before `started`.
    expect(Date.now() - started).toBeGreaterThan(8_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
