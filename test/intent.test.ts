import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../sdk/src/contract/index.js';
import type { ShoalStatus } from '../sdk/src/index.js';
import { anonymousId, flush, profile, ready, track, visit } from './support/shop.js';
import { publishModel, ROOT, startStack, type Stack } from './support/stack.js';

/**
 * Intent end to end, in real Chromium against the demo shop and a real local edge: every event re-scores
 * every visitor (no order needed), so a first-time visitor's intent rises as they browse, cart and start
 * checkout, while a visitor who bounces stays low; a bot gets no intent at all.
 */
let stack: Stack;
/** The shipped default model: the CDNOW customer heads and the intent tower learned from UCI sessions. */
const model = JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as {
  version: string;
  graph: { intent?: unknown };
};
beforeAll(async () => {
  stack = await startStack();
  await publishModel(stack.edge.url, join(ROOT, 'models/default'));
});
afterAll(async () => stack?.stop());

const intentAfter = async (page: Page) => (await ready(page)).intent;
const feature = (vector: number[], name: string) =>
  vector[FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])];

describe('intent', () => {
  let context: BrowserContext;
  const steps: { step: string; intent: number | null }[] = [];
  let last: ShoalStatus;
  let page: Page;

  beforeAll(async () => {
    context = await stack.browser.newContext();
    page = await context.newPage();
    const step = async (name: string, act: () => Promise<unknown>) => {
      await act();
      last = await ready(page);
      steps.push({ step: name, intent: last.intent });
    };
    await step('lands on the home page', () => visit(stack, page, '/'));
    for (const id of ['kind-of-blue', 'a-love-supreme', 'time-out'])
      await step(`views ${id}`, () => visit(stack, page, `/product/${id}`));
    await step('adds it to the cart', () => page.click('#add-to-cart'));
    await step('starts checkout', () => visit(stack, page, '/checkout'));
    console.log(
      `intent (${model.version}): ${steps.map((s) => `${s.step} ${s.intent === null ? 'null' : s.intent.toFixed(3)}`).join(' → ')}`,
    );
  });
  afterAll(async () => context?.close());

  it('scores a first-time visitor from the first page, with no order and no earlier visit', () => {
    expect(model.graph.intent).toBeDefined();
    expect(steps[0]!.intent).toBeTypeOf('number');
    expect(last.segment).toBe('prospects');
    expect(last.model).toBe(model.version);
    expect(last.implausible).toBeNull();
    expect(last.errors, last.lastError ?? '').toBe(0);
  });

  it('rises at every step: each product view, the cart add, the checkout', () => {
    for (let i = 1; i < steps.length; i++)
      expect(steps[i]!.intent, `${steps[i - 1]!.step} → ${steps[i]!.step}`).toBeGreaterThan(steps[i - 1]!.intent!);
    for (const s of steps) expect(s.intent).toBeLessThanOrEqual(1);
  });

  it('reads the page types the demo marks, and sends them only as counts', async () => {
    expect(await flush(page)).toBe(true);
    const stored = await profile(stack, await anonymousId(page));
    const count = (name: string) => Math.round(Math.expm1(feature(stored!.features, name)!));
    expect(count('visit_pages_product')).toBe(3);
    expect(count('visit_pages_listing')).toBe(1);
    expect(count('visit_pages_checkout')).toBe(1);
    expect(count('visit_product_views')).toBe(3);
    expect(count('visit_cart_adds')).toBe(1);
    expect(feature(stored!.features, 'visit_checkout')).toBe(1);
    expect(feature(stored!.features, 'returning')).toBe(0);
  });

  it('shows intent in the debug overlay with the features that drove it', async () => {
    await page.evaluate(() => (window as unknown as { shoal: { debug(): Promise<void> } }).shoal.debug());
    const text = await page.evaluate(() => document.getElementById('shoal-debug')?.shadowRoot?.textContent ?? '');
    expect(text).toContain(`intent${Math.round(last.intent! * 100)} %`);
    // What the visit did drives it; a prospect's segment is no model's, so no customer feature is listed.
    expect(text).toMatch(/intent: visit_\w+[+-]\d+\.\d pts/);
    expect(text).not.toMatch(/segment: /);
  });

  it('keeps a visitor who lands and leaves low', async () => {
    const bouncer = await stack.browser.newContext();
    const landing = await bouncer.newPage();
    await visit(stack, landing, '/product/nevermind');
    const intent = await intentAfter(landing);
    console.log(`intent (${model.version}): a visitor who bounces ${intent?.toFixed(3)}`);
    expect(intent).toBeTypeOf('number');
    // Below the first-timer at the same point (one product page seen), and far below one who started checkout.
    expect(intent!).toBeLessThanOrEqual(steps[1]!.intent!);
    expect(intent!).toBeLessThan(steps.at(-1)!.intent! / 2);
    await bouncer.close();
  });

  it('gives a bot no intent and says why, instead of the top score', async () => {
    const botContext = await stack.browser.newContext();
    const bot = await botContext.newPage();
    await visit(stack, bot, '/');
    for (let i = 0; i < 120; i++)
      await track(bot, 'product_view', { productId: `p${i}`, category: 'jazz', price: 9.99 });
    await track(bot, 'add_to_cart', { productId: 'p1', category: 'jazz', price: 9.99, quantity: 1 });
    await track(bot, 'begin_checkout', { value: 9.99 });
    const s = await ready(bot);
    expect(s.intent).toBeNull();
    expect(s.implausible).toMatch(/^bot: \d+ views in \d+ s$/);
    await botContext.close();
  });
});
