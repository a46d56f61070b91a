import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Shoal } from '../sdk/src/index.js';
import {
  anonymousId,
  flush,
  framesOf,
  holdSdk,
  open,
  profile,
  purchase,
  ready,
  recordFrames,
  status,
  track,
  until,
} from './support/shop.js';
import { useStack } from './support/use-stack.js';

/**
 * The start-up gate in real Chromium: calls a storefront makes before shoal.js arrives (queued by the snippet)
 * are in force before the SDK does anything by itself, so a shopper's choice made early is never overtaken by
 * the model, the cached segment, or what an earlier page left in the outbox.
 */
const stack = useStack();

type SyncBody = { anonymousId: string } & Record<string, unknown>;

/** Every sync body `page` sends, every erase it asks for, and every request it makes for the ML chunk. */
function watch(page: Page) {
  const seen = { syncs: [] as SyncBody[], ml: 0, erases: [] as string[] };
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/sync') && r.method() === 'POST') seen.syncs.push(r.postDataJSON() as SyncBody);
    if (r.url().includes('/ml/shoal-ml-main-')) seen.ml++;
    if (r.url().includes('/v1/profiles/') && r.method() === 'DELETE') seen.erases.push(r.url().split('/').pop()!);
  });
  return seen;
}

/** A returning shopper: three orders scored into a segment, synced, with that segment cached for the next page. */
async function returningShopper(context: BrowserContext): Promise<{ page: Page; id: string; segment: string }> {
  const page = await open(stack(), context, '/');
  for (let i = 0; i < 3; i++) await track(page, 'purchase', purchase(`o-gate-${i}`, 40));
  const scored = await until(page, (s) => s.valueTier !== null, 'a scored segment');
  expect(await flush(page)).toBe(true);
  return { page, id: await anonymousId(page), segment: scored.segment! };
}

/** Leaves one snapshot of `page`'s shopper waiting in the outbox: its sync is never answered, then the page closes. */
async function leaveSnapshotWaiting(page: Page): Promise<void> {
  await page.route('**/v1/sync', () => undefined);
  await track(page, 'purchase', purchase('o-gate-left', 12));
  await until(page, (s) => s.outbox.pending === 1 && s.synced === 1, 'a snapshot waiting in the outbox');
  await page.close();
}

/**
 * The next page of the shop with shoal.js held back; `calls` runs in the page against the snippet's stub.
 * What the page requests is watched from its first request.
 */
async function nextPageWith(
  context: BrowserContext,
  calls: (shoal: Shoal) => void,
): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const release = await holdSdk(context);
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(stack().shop.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate(`(${calls.toString()})(window.shoal)`);
  release();
  await page.waitForFunction(() => typeof (window as unknown as { shoal: { q?: unknown } }).shoal.q === 'undefined');
  await ready(page);
  return { page, seen };
}

const PREDICTIONS = ['modelVersion', 'segment', 'valueTier', 'churnRisk', 'predictedSpend'];

describe('start-up gate', () => {
  it('consent({ personalise: false }) queued before load: no model, no cached segment, no predictions synced', async () => {
    const context = await stack().browser.newContext();
    const { page: first, id, segment } = await returningShopper(context);
    // The snapshot left waiting carries the earlier page's predictions: it must not leave after the withdrawal.
    await leaveSnapshotWaiting(first);
    await recordFrames(context);
    const { page, seen } = await nextPageWith(context, (shoal) => shoal.consent({ personalise: false }));
    await track(page, 'product_view', { productId: 'time-out', category: 'jazz', price: 11.49 });
    expect(await flush(page)).toBe(true);
    const s = await status(page);
    expect(s.consent).toEqual({ personalise: false, sync: true });
    expect([s.model, s.segment, s.backend]).toEqual([null, null, null]);
    expect(seen.ml).toBe(0);
    expect((await framesOf(page)).filter((f) => f.visible && f.variant !== 'default')).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('shoal:score'))).toBeNull();
    // The aggregate still syncs (sync was not withdrawn), without anything the model said.
    expect(seen.syncs.length).toBeGreaterThan(0);
    for (const body of seen.syncs) for (const key of PREDICTIONS) expect(body).not.toHaveProperty(key);
    expect(seen.syncs.every((b) => b.anonymousId === id)).toBe(true);
    expect(segment).not.toBe('prospects');
    await context.close();
  });

  it('consent({ sync: false }) queued before load: nothing leaves, not even what an earlier page left waiting', async () => {
    const context = await stack().browser.newContext();
    const { page: first } = await returningShopper(context);
    await leaveSnapshotWaiting(first);
    const { page, seen } = await nextPageWith(context, (shoal) => shoal.consent({ sync: false }));
    await track(page, 'product_view', { productId: 'time-out', category: 'jazz', price: 11.49 });
    expect(await flush(page)).toBe(false);
    await page.waitForTimeout(1500);
    const s = await status(page);
    expect(s.syncBlocked).toBe('consent');
    expect(s.outbox.pending).toBe(0);
    expect(seen.syncs).toEqual([]);
    await context.close();
  });

  it('reset() queued before load: the last shopper is never shown, scored or synced', async () => {
    const context = await stack().browser.newContext();
    const { page: first, id, segment } = await returningShopper(context);
    await first.close();
    await recordFrames(context);
    const { page, seen } = await nextPageWith(context, (shoal) => shoal.reset());
    const s = await until(page, (x) => x.segment !== null, 'the new shopper to be placed');
    expect(s.segment).toBe('prospects');
    expect(await anonymousId(page)).not.toBe(id);
    // Only this page's own page view, recorded for the new shopper.
    expect(s.events).toBe(1);
    expect((await framesOf(page)).filter((f) => f.visible && f.variant === segment)).toEqual([]);
    expect(await flush(page)).toBe(true);
    expect(seen.syncs.filter((b) => b.anonymousId === id)).toEqual([]);
    await context.close();
  });

  it('forget() queued before load: the waiting batch never leaves, the shopper is erased and never shown', async () => {
    const context = await stack().browser.newContext();
    const { page: first, id, segment } = await returningShopper(context);
    await leaveSnapshotWaiting(first);
    await recordFrames(context);
    const { page, seen } = await nextPageWith(context, (shoal) => void shoal.forget());
    await until(page, (s) => s.outbox.pending === 0 && s.outbox.delivered > 0, 'the erase to be delivered');
    expect(seen.erases).toEqual([id]);
    expect(seen.syncs.filter((b) => b.anonymousId === id)).toEqual([]);
    expect(await profile(stack(), id)).toBeNull();
    expect(await anonymousId(page)).not.toBe(id);
    expect((await framesOf(page)).filter((f) => f.visible && f.variant === segment)).toEqual([]);
    await context.close();
  });
});
