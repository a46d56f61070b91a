import { createHash, createHmac } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EventSchema, SyncPayloadSchema } from '../sdk/src/contract/index.js';
import { applyEvent, emptyAggregates, featureVector } from '../sdk/src/features/index.js';
import {
  anonymousId,
  flush,
  open,
  profile,
  purchase,
  ready,
  status,
  storedRecords,
  track,
  until,
  watchSync,
} from './support/shop.js';
import { useStack } from './support/use-stack.js';

/** Behaviour capture in real Chromium: the queue stub, automatic tracking, identity, consent, and feature parity. */
const stack = useStack();

describe('capture', () => {
  it('replays calls made before the SDK loaded, in order', async () => {
    const context = await stack().browser.newContext();
    // Hold shoal.js back so the page's calls certainly land in the snippet's queue.
    await context.route('**/shoal.js', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    const page = await context.newPage();
    // Dynamically inserted scripts hold back `load`; the page's own code runs well before that.
    await page.goto(stack().shop.url, { waitUntil: 'domcontentloaded' });
    await page.evaluate(() => {
      const s = (window as unknown as { shoal: { q?: unknown[]; track(n: string, p: object): void } }).shoal;
      if (!Array.isArray(s.q)) throw new Error('the SDK was already loaded; the stub was not exercised');
      s.track('search', { query: 'first' });
      s.track('search', { query: 'second' });
      s.track('product_view', { productId: 'nevermind', category: 'rock', price: 12.49 });
    });
    await page.waitForFunction(
      () => typeof (window as unknown as { shoal: { ready?: unknown } }).shoal.ready === 'function',
    );
    await until(page, (s) => s.events >= 4, 'the queue to be replayed');
    // status() counts events as soon as they are tracked; ready() settles once they are stored too.
    await ready(page);
    const types = (await storedRecords(page, 'events')).map(
      (e) => (e as { type: string; query?: string }).query ?? (e as { type: string }).type,
    );
    expect(types.filter((t) => t !== 'page_view')).toEqual(['first', 'second', 'product_view']);
    await context.close();
  });

  it('records single-page-app navigations and the time each route was visible', async () => {
    const context = await stack().browser.newContext();
    const page = await open(stack(), context, '/');
    await page.evaluate(() => history.pushState({}, '', '/spa/jazz'));
    await page.waitForTimeout(1200);
    await page.evaluate(() => history.pushState({}, '', '/spa/rock'));
    let events: { type: string; path?: string; ms?: number }[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.path === '/spa/rock'); i++) {
      await page.waitForTimeout(100);
      events = (await storedRecords(page, 'events')) as typeof events;
    }
    expect(events.filter((e) => e.type === 'page_view').map((e) => e.path)).toEqual(['/', '/spa/jazz', '/spa/rock']);
    const dwell = events.filter((e) => e.type === 'dwell').map((e) => e.ms ?? 0);
    expect(dwell.length).toBeGreaterThanOrEqual(1);
    expect(dwell.at(-1)).toBeGreaterThanOrEqual(1000);
    await context.close();
  });

  it('keeps only a salted hash of the user id, and sends only that', async () => {
    const context = await stack().browser.newContext();
    const bodies: string[] = [];
    context.on('request', (r) => bodies.push(r.postData() ?? ''));
    const page = await open(stack(), context, '/');
    await page.evaluate(() =>
      (window as unknown as { shoal: { identify(id: string): void } }).shoal.identify('customer-42@example.com'),
    );
    await track(page, 'purchase', purchase('o-identify-1', 25));
    expect(await flush(page)).toBe(true);
    const hash = createHash('sha256')
      .update(`${new URL(stack().edge.url).origin}\u0000customer-42@example.com`)
      .digest('hex');
    // The browser sends its salted hash; the edge stores (and shows) only an HMAC of it under its pepper.
    expect(bodies.join('\n')).toContain(hash);
    const stored = createHmac('sha256', stack().edge.secrets.ID_PEPPER).update(`user:${hash}`).digest('hex');
    expect((await profile(stack(), await anonymousId(page))) as unknown).toMatchObject({ userIdHash: stored });
    expect((await status(page)).identified).toBe(true);
    expect(bodies.join('\n')).not.toContain('customer-42');
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('customer-42');
    await context.close();
  });

  it('honours consent: no sync without it, no personalisation without it', async () => {
    const context = await stack().browser.newContext();
    const sync = watchSync(context);
    const page = await open(stack(), context, '/');
    const baseline = sync.requests;
    await page.evaluate(() =>
      (window as unknown as { shoal: { consent(c: object): void } }).shoal.consent({ sync: false }),
    );
    await track(page, 'purchase', purchase('o-consent-1', 50));
    expect(await flush(page)).toBe(false);
    await page.waitForTimeout(1500);
    expect(sync.requests).toBe(baseline);
    expect((await status(page)).syncBlocked).toBe('consent');

    await page.evaluate(() =>
      (window as unknown as { shoal: { consent(c: object): void } }).shoal.consent({ personalise: false }),
    );
    const s = await status(page);
    expect(s.segment).toBeNull();
    expect(await page.getAttribute('[data-shoal-block="hero"]', 'data-shoal-variant')).toBe('default');
    await context.close();
  });

  it('computes in Chromium exactly the vector the trainer computes from the same history', async () => {
    // A clock 5 h 45 min ahead of UTC: the vector's local hour, weekday and month are the shopper's.
    const context = await stack().browser.newContext({ timezoneId: 'Asia/Kathmandu' });
    let payload: unknown;
    context.on('request', (r) => {
      if (r.url().endsWith('/v1/sync') && r.method() === 'POST') payload = r.postDataJSON();
    });
    const page = await open(stack(), context, '/product/kind-of-blue');
    await track(page, 'search', { query: 'miles' });
    await track(page, 'add_to_cart', { productId: 'kind-of-blue', category: 'jazz', price: 14.99, quantity: 2 });
    await track(page, 'remove_from_cart', { productId: 'kind-of-blue', category: 'jazz', price: 14.99, quantity: 1 });
    await track(page, 'begin_checkout', { value: 14.99 });
    await track(page, 'purchase', purchase('o-parity-1', 14.99));
    await page.evaluate(() => history.pushState({}, '', '/spa/after'));
    expect(await flush(page)).toBe(true);
    const sent = v.parse(SyncPayloadSchema, payload);
    const stored = (await storedRecords(page, 'events')).map((e) => v.parse(EventSchema, e));
    expect(stored.length).toBe(sent.counts.events);
    // The trainer's path: validated events folded through the shared module, seen from the same instant.
    const nodeVector = featureVector(stored.reduce(applyEvent, emptyAggregates()), sent.sentAt, 345);
    expect(sent.features).toEqual(nodeVector);
    expect(sent.features.some((x, i) => x !== 0 && i > 0)).toBe(true);
    await context.close();
  });
});
