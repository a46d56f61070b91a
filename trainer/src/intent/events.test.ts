import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../../../sdk/src/contract/index.js';
import { eventSessions, loadDataset } from '../load/index.js';
import { mulberry32 } from '../math/index.js';
import { useWasm } from '../model/index.js';
import { train } from '../train.js';
import { trainIntent } from './index.js';

/**
 * A seeded SDK event log: shoppers whose visits view products, sometimes add to the cart, start checkout
 * and buy — more views, more carts; only a cart reaches checkout, only a checkout an order — plus one bot
 * that views 150 products in a minute. Returns the NDJSON and how many human visits ended in an order.
 */
function seededLog(shoppers: number, seed: number): { ndjson: string; visits: number; orders: number } {
  const rng = mulberry32(seed);
  const lines: string[] = [];
  let visits = 0;
  let orders = 0;
  const emit = (customerId: string, e: ShoalEvent) => lines.push(JSON.stringify({ customerId, ...e }));
  for (let s = 0; s < shoppers; s++) {
    const id = `s${s}`;
    let day = Date.UTC(2024, 0, 1) + Math.floor(rng() * 60) * 86_400_000;
    const n = 1 + Math.floor(rng() * 3);
    for (let k = 0; k < n; k++) {
      visits++;
      let t = day + Math.floor(rng() * 20) * 3_600_000;
      emit(id, { type: 'page_view', ts: t, pageType: 'listing' });
      const views = 1 + Math.floor(rng() * 10);
      for (let v = 0; v < views; v++) {
        t += 20_000 + Math.floor(rng() * 100_000);
        emit(id, { type: 'page_view', ts: t, pageType: 'product' });
        emit(id, {
          type: 'product_view',
          ts: t,
          productId: `p${Math.floor(rng() * 50)}`,
          category: 'shoes',
          price: 40,
        });
      }
      if (rng() < 1 / (1 + Math.exp(2.5 - 0.35 * views))) {
        t += 30_000;
        emit(id, { type: 'add_to_cart', ts: t, productId: 'p1', category: 'shoes', price: 40, quantity: 1 });
        if (rng() < 0.6) {
          t += 60_000;
          emit(id, { type: 'begin_checkout', ts: t, value: 40 });
          if (rng() < 0.7) {
            t += 90_000;
            const items = [{ productId: 'p1', category: 'shoes', price: 40, quantity: 1 }];
            emit(id, { type: 'purchase', ts: t, orderId: `${id}-${k}`, total: 40, currency: 'EUR', items });
            orders++;
          }
        }
      }
      // Next visit days later; a visit never runs into the next.
      day += (3 + Math.floor(rng() * 40)) * 86_400_000;
    }
  }
  for (let v = 0; v < 150; v++)
    emit('bot', {
      type: 'product_view',
      ts: Date.UTC(2024, 1, 3) + v * 300,
      productId: `p${v}`,
      category: 'x',
      price: 1,
    });
  return { ndjson: `${lines.join('\n')}\n`, visits, orders };
}

describe('intent from a shop’s own events (--format events)', () => {
  let dir = '';
  let log = { ndjson: '', visits: 0, orders: 0 };
  beforeAll(async () => {
    await useWasm();
    dir = await mkdtemp(join(tmpdir(), 'shoal-intent-'));
    log = seededLog(600, 11);
    await writeFile(join(dir, 'events.ndjson'), log.ndjson);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cuts the log into labelled visits, drops the bot, and learns the funnel instead of assuming it', async () => {
    const data = await loadDataset(join(dir, 'events.ndjson'), 'events');
    const sessions = eventSessions(data.histories);
    expect(sessions.x).toHaveLength(log.visits);
    expect(sessions.ordered.filter((y) => y === 1)).toHaveLength(log.orders);
    expect(sessions.drops.counts).toEqual({ 'implausible visit (bot)': 1 });
    const intent = await trainIntent(sessions, { seed: 3, members: 1, epochs: 40 }, { log: () => {} });
    // The log has carts and checkouts: they are learned (monotone), and no prior offset ships.
    expect(intent.inputs).toEqual(expect.arrayContaining(['visit_product_views', 'visit_cart_adds', 'visit_checkout']));
    expect(intent.monotone[intent.inputs.indexOf('visit_checkout')]).toBe(true);
    expect(intent.prior).toBeNull();
    expect(intent.manifest.offsets).toBeUndefined();
    // No UCI-only inputs: this shop marks no account or content pages.
    expect(intent.notLearned).toEqual(expect.arrayContaining(['visit_pages_account', 'visit_pages_content']));
    const cv = intent.splits.find((s) => s.name === 'cv')!;
    // Only checkouts order here, so a tower that learned the funnel ranks orders far above chance.
    expect(cv.models.tower.auc).toBeGreaterThan(0.9);
    expect(cv.models.logistic.auc).toBeGreaterThan(0.9);
    expect(intent.splits.map((s) => s.name)).toEqual(['cv', 'month']);
  });

  it('trains the whole model from the log: customer heads and the tower in one model file', async () => {
    const out = join(dir, 'model');
    const { manifest } = await train(
      { data: join(dir, 'events.ndjson'), format: 'events', out, epochs: 3, seed: 1, intentMembers: 1 },
      { log: () => {} },
    );
    expect(manifest.graph.intent?.inputs).toContain('visit_cart_adds');
    expect(manifest.metrics.intent_cv_tower_auc).toBeGreaterThan(0.9);
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Intent tower');
    expect(report).toContain('learned from the data (monotone inputs)');
  });
});
