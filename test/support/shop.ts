import type { BrowserContext, Page } from 'playwright-core';
import type { ShoalStatus } from '../../sdk/src/index.js';
import { TOKEN, type Stack } from './stack.js';

/** Page-side helpers for tests that drive the demo shop: every wait is bounded. */
type Api = {
  shoal: {
    ready(): Promise<ShoalStatus>;
    status(): ShoalStatus;
    flush(): Promise<boolean>;
    track(n: string, p?: object): void;
    forget(): Promise<void>;
  };
};

export async function open(stack: Stack, context: BrowserContext, path = '/'): Promise<Page> {
  const page = await context.newPage();
  await visit(stack, page, path);
  return page;
}

export async function visit(stack: Stack, page: Page, path: string): Promise<void> {
  await page.goto(new URL(path, stack.shop.url).href);
  await page.waitForFunction(() => typeof (window as unknown as Api).shoal?.ready === 'function', null, {
    timeout: 30_000,
  });
  await ready(page);
}

export const ready = (page: Page) => page.evaluate(() => (window as unknown as Api).shoal.ready());
export const status = (page: Page) => page.evaluate(() => (window as unknown as Api).shoal.status());
export const flush = (page: Page) => page.evaluate(() => (window as unknown as Api).shoal.flush());
export const track = (page: Page, name: string, props?: object) =>
  page.evaluate(([n, p]) => (window as unknown as Api).shoal.track(n as string, p as object | undefined), [
    name,
    props,
  ] as const);

export const purchase = (orderId: string, total: number) => ({
  orderId,
  total,
  currency: 'USD',
  items: [{ productId: 'kind-of-blue', category: 'jazz', price: total, quantity: 1 }],
});

/** Polls the page's status until `done` holds (bounded: 200 × 100 ms). */
export async function until(page: Page, done: (s: ShoalStatus) => boolean, what: string): Promise<ShoalStatus> {
  let last: ShoalStatus | undefined;
  for (let i = 0; i < 200; i++) {
    last = await status(page);
    if (done(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(last)}`);
}

export async function anonymousId(page: Page): Promise<string> {
  return (await page.evaluate(() => localStorage.getItem('shoal:aid')))!;
}

/** The edge's stored aggregate for a shopper, or null when it has none. */
export async function profile(
  stack: Stack,
  anonymousId: string,
): Promise<{ batches: number; counts: Record<string, number>; features: number[] } | null> {
  const res = await fetch(new URL(`/v1/profiles/${anonymousId}`, stack.edge.url), {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`profile lookup answered ${res.status}`);
  return (await res.json()) as { batches: number; counts: Record<string, number>; features: number[] };
}

/** Every answer the edge gave to /v1/sync in this context, to count replays. */
export interface SyncWatch {
  requests: number;
  answered: number;
  duplicates: number;
  accepted: number;
  /** Resolves once every request seen so far has had its answer counted (bounded: 100 × 50 ms). */
  settled(): Promise<void>;
}

export function watchSync(context: BrowserContext): SyncWatch {
  const seen: SyncWatch = {
    requests: 0,
    answered: 0,
    duplicates: 0,
    accepted: 0,
    async settled() {
      for (let i = 0; i < 100 && seen.answered < seen.requests; i++) await new Promise((r) => setTimeout(r, 50));
    },
  };
  const isSync = (url: string, method: string) => url.endsWith('/v1/sync') && method === 'POST';
  context.on('request', (r) => {
    if (isSync(r.url(), r.method())) seen.requests++;
  });
  context.on('requestfailed', (r) => {
    if (isSync(r.url(), r.method())) seen.answered++;
  });
  context.on('response', async (r) => {
    if (!isSync(r.url(), r.request().method())) return;
    const body = (await r.json().catch(() => null)) as { duplicate?: boolean } | null;
    if (r.ok() && body?.duplicate) seen.duplicates++;
    else if (r.ok() && body) seen.accepted++;
    seen.answered++;
  });
  return seen;
}

/** Every record of one of the SDK's IndexedDB stores ('events', 'outbox'), read straight from the page's database. */
export function storedRecords(page: Page, store: 'events' | 'outbox'): Promise<unknown[]> {
  return page.evaluate(
    (name) =>
      new Promise<unknown[]>((resolve, reject) => {
        const req = indexedDB.open('shoal');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => {
            resolve(all.result);
            req.result.close();
          };
        };
      }),
    store,
  );
}

/**
 * Holds shoal.js back in `context` until `release()`, so a page's calls certainly land in the snippet's queue
 * (open such a page with `waitUntil: 'domcontentloaded'`: the held script holds back `load`).
 */
export async function holdSdk(context: BrowserContext): Promise<() => void> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => {
    release = r;
  });
  await context.route('**/shoal.js', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** What the hero block showed in each animation frame from a page's first, and whether blocks were visible. */
export type Frame = { visible: boolean; variant: string | null };

/** Records, in every page of `context`, the first 120 frames' hero block (read them with `framesOf`). */
export async function recordFrames(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const frames: { visible: boolean; variant: string | null }[] = [];
    (window as unknown as { frames_: typeof frames }).frames_ = frames;
    const tick = () => {
      const block = document.querySelector('[data-shoal-block="hero"]');
      if (block)
        frames.push({
          visible: document.documentElement.classList.contains('shoal-ready'),
          variant: block.getAttribute('data-shoal-variant'),
        });
      if (frames.length < 120) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export const framesOf = (page: Page) => page.evaluate(() => (window as unknown as { frames_: Frame[] }).frames_);

/** Tracks a purchase and syncs it (the edge then has a profile); resolves with the shopper's anonymous id. */
export async function syncedPurchase(page: Page, orderId: string, total: number): Promise<string> {
  await track(page, 'purchase', purchase(orderId, total));
  if (!(await flush(page))) throw new Error(`the purchase ${orderId} was not synced`);
  return anonymousId(page);
}
