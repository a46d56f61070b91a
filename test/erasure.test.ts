import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { open, profile, purchase, status, syncedPurchase, track, until, visit } from './support/shop.js';
import { useStack } from './support/use-stack.js';

/**
 * forget() in real Chromium against the real local edge: the browser's own outbox stops before the erase (no
 * late retry of an old batch re-creates the shopper), and the erase itself is retried, across visits, until
 * the edge confirms it with a 2xx.
 */
const stack = useStack();

const forget = (page: Page) =>
  page.evaluate(() => (window as unknown as { shoal: { forget(): Promise<void> } }).shoal.forget());

describe('erasure', () => {
  it('sends nothing more of the old outbox once forget() has run, even a batch that was in flight', async () => {
    const context = await stack().browser.newContext();
    const page = await open(stack(), context, '/');
    const id = await syncedPurchase(page, 'o-erase-1', 20);
    // The next batch reaches the edge's door and waits there; the edge will turn it away with a 500.
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => {
      arrived = r;
    });
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((r) => {
      answer = r;
    });
    const sentAfterForget: string[] = [];
    let forgotten = false;
    await context.route('**/v1/sync', async (route) => {
      const body = route.request().postDataJSON() as { anonymousId: string };
      if (forgotten && body.anonymousId === id) sentAfterForget.push(body.anonymousId);
      if (body.anonymousId !== id || forgotten) return route.continue();
      arrived();
      await answered;
      await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal"}}' });
    });
    await track(page, 'purchase', purchase('o-erase-2', 30));
    await inFlight;
    await forget(page);
    forgotten = true;
    answer();
    // The first retry would come 0.5–1 s after the 500; wait well past the second.
    await until(page, (s) => s.outbox.pending === 0 && s.outbox.delivered >= 2, 'the erase to be delivered');
    await page.waitForTimeout(3000);
    expect(sentAfterForget).toEqual([]);
    expect(await profile(stack(), id)).toBeNull();
    expect((await status(page)).outbox.pending).toBe(0);
    await context.close();
  });

  it('retries the erase across a reload until the edge answers 2xx, not taking a 404 or a 503 for an answer', async () => {
    const context = await stack().browser.newContext();
    const page = await open(stack(), context, '/');
    const id = await syncedPurchase(page, 'o-erase-3', 25);
    // Something on the way (a proxy, a deploy) answers before the edge does: first 404, then 503.
    const refusals = [404, 503];
    const answers: number[] = [];
    let edgeUp = false;
    await context.route('**/v1/profiles/*', async (route) => {
      if (route.request().method() !== 'DELETE') return route.continue();
      const refusal = refusals[answers.length];
      if (edgeUp || refusal === undefined) {
        answers.push(204);
        return route.continue();
      }
      answers.push(refusal);
      return route.fulfill({ status: refusal, contentType: 'text/plain', body: 'not the edge' });
    });
    await forget(page);
    await until(page, (s) => s.outbox.retries >= 2, 'the erase to be refused twice');
    expect(answers).toEqual([404, 503]);
    expect(await profile(stack(), id)).not.toBeNull();
    // The next visit picks the erase up from the outbox and sends it once its backoff has passed.
    edgeUp = true;
    await visit(stack(), page, '/');
    await until(page, (s) => s.outbox.pending === 0 && s.outbox.delivered >= 1, 'the next visit to deliver the erase');
    // (The closing page may also have sent a keepalive copy on pagehide: both reach the edge, which erases once.)
    expect(answers.slice(0, 2)).toEqual([404, 503]);
    expect(answers.slice(2).every((a) => a === 204)).toBe(true);
    expect(await profile(stack(), id)).toBeNull();
    await context.close();
  });
});
