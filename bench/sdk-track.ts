/**
 * SDK capture benchmark (issue 3): main-thread cost of `shoal.track()` in headless Chromium as a ratio to a
 * no-op call measured in the same page, the aggregate update cost (`applyEvent`) as a ratio to copying the
 * same object, and the gzip sizes of what a storefront loads. Run: `npx tsx bench/sdk-track.ts` (after build).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ShoalEvent } from '../sdk/src/contract/index.js';
import { applyEvent, emptyAggregates } from '../sdk/src/features/index.js';
import { publishModel, ROOT, startStack } from '../test/support/stack.js';

const N = 20_000;
/** Chromium coarsens performance.now() to 100 µs outside cross-origin isolation: time batches and divide. */
const BATCH = 100;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

async function trackCost() {
  const stack = await startStack();
  try {
    await publishModel(stack.edge.url, join(ROOT, 'models/default'));
    const page = await stack.browser.newPage();
    await page.goto(stack.shop.url);
    await page.waitForFunction(
      () => typeof (window as unknown as { shoal: { ready?: unknown } }).shoal.ready === 'function',
    );
    await page.evaluate(() => (window as unknown as { shoal: { ready(): Promise<unknown> } }).shoal.ready());
    // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
    return (await page.evaluate(`(async () => {
      const shoal = window.shoal;
      const noop = (name, props) => undefined;
      const props = { productId: 'kind-of-blue', category: 'jazz', price: 14.99 };
      // Between batches the page yields, as a real page does between user actions, so the SDK can drain.
      const time = async (fn) => {
        const out = [];
        for (let i = 0; i < ${N} / ${BATCH}; i++) {
          const t = performance.now();
          for (let j = 0; j < ${BATCH}; j++) fn('product_view', props);
          out.push((performance.now() - t) / ${BATCH});
          await new Promise((r) => setTimeout(r, 0));
        }
        return out;
      };
      await time(noop);
      const baseline = await time(noop);
      const tracked = await time((name, p) => shoal.track(name, p));
      return { baseline, tracked };
    })()`)) as { baseline: number[]; tracked: number[] };
  } finally {
    await stack.stop();
  }
}

function aggregateCost() {
  const event: ShoalEvent = {
    type: 'purchase',
    ts: 0,
    orderId: 'o',
    total: 30,
    currency: 'USD',
    items: [{ productId: 'p', category: 'jazz', price: 15, quantity: 2 }],
  };
  const run = (fn: (i: number) => unknown) => {
    const t = performance.now();
    for (let i = 0; i < N * 20; i++) fn(i);
    return (performance.now() - t) / (N * 20);
  };
  let agg = emptyAggregates();
  const copy = run(() => (agg = { ...agg }));
  agg = emptyAggregates();
  const apply = run((i) => (agg = applyEvent(agg, { ...event, ts: i * 60_000 })));
  return { copy, apply };
}

const { baseline, tracked } = await trackCost();
const { copy, apply } = aggregateCost();
const gz = (f: string) => gzipSync(readFileSync(join(ROOT, f)), { level: 9 }).byteLength;

console.log(
  `track() main-thread cost, ${N} calls in headless Chromium (quantiles of ${BATCH}-call batch means, the page yielding between batches):`,
);
console.log(
  `  p50 ${fmt(quantile(tracked, 0.5))}  p99 ${fmt(quantile(tracked, 0.99))}  (no-op call: p50 ${fmt(quantile(baseline, 0.5))}, p99 ${fmt(quantile(baseline, 0.99))})`,
);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  mean(baseline) > 0
    ? `  mean ×${(mean(tracked) / mean(baseline)).toFixed(0)} a no-op call (${fmt(mean(tracked))} vs ${fmt(mean(baseline))})`
    : `  mean ${fmt(mean(tracked))}; a no-op call is below the page's timer resolution (< ${fmt(0.1 / BATCH)} per call)`,
);
console.log(
  `aggregate update (applyEvent, Node): ${fmt(apply)} per event; ×${(apply / copy).toFixed(1)} a plain copy of the aggregate (${fmt(copy)})`,
);
console.log(
  `gzip -9 sizes: snippet ${gz('sdk/dist/snippet.html')} B, core shoal.js ${gz('sdk/dist/browser/shoal.js')} B (ML chunks: npm run bench:ml)`,
);
