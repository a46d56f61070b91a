import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShoalEvent } from '../../../sdk/src/contract/index.js';
import { DAY_MS, applyEvent, emptyAggregates, featureVector } from '../../../sdk/src/features/index.js';
import { buildFrame, truncate, withTargets } from '../frame/index.js';
import { mulberry32 } from '../math/index.js';
import { loadDataset } from './dataset.js';
import { Histories, type History, historyBuilder } from './history.js';

const START = Date.UTC(2020, 0, 1);
const AT = START + 120 * DAY_MS;
const END = START + 200 * DAY_MS;

/** 300 seeded customers' transactions in shuffled order: several line items a day, days out of order. */
function transactions(seed: number): { customer: string; ts: number; amount: number }[] {
  const rng = mulberry32(seed);
  const out: { customer: string; ts: number; amount: number }[] = [];
  for (let c = 0; c < 300; c++) {
    for (let d = Math.floor(rng() * 8); d > 0; d--) {
      const day = START + Math.floor(rng() * 200) * DAY_MS;
      for (let l = 1 + Math.floor(rng() * 3); l > 0; l--)
        out.push({ customer: `c${c}`, ts: day + Math.floor(rng() * DAY_MS), amount: Math.round(rng() * 5000) / 100 });
    }
  }
  // Fisher–Yates on the seeded PRNG: the file interleaves customers and goes back in time.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The path the compact store replaced (the previous historyBuilder, verbatim in effect): a Map of
 * per-customer JS arrays, a row added to its customer's last purchase-day when the day matches, and
 * unsorted customers stably re-ordered and merged at the end — so spend adds up in the same order.
 */
function reference(txns: readonly { customer: string; ts: number; amount: number }[]): Map<string, History> {
  const out = new Map<string, History>();
  for (const t of txns) {
    const day = Math.floor(t.ts / DAY_MS) * DAY_MS;
    let h = out.get(t.customer);
    if (!h) {
      h = { days: [], amounts: [] };
      out.set(t.customer, h);
    }
    if (h.days.at(-1) === day) h.amounts[h.amounts.length - 1]! += t.amount;
    else {
      h.days.push(day);
      h.amounts.push(t.amount);
    }
  }
  for (const h of out.values()) {
    const order = h.days.map((_, i) => i).sort((a, b) => h.days[a]! - h.days[b]!);
    const days: number[] = [];
    const amounts: number[] = [];
    for (const i of order) {
      if (days.at(-1) === h.days[i]) amounts[amounts.length - 1]! += h.amounts[i]!;
      else {
        days.push(h.days[i]!);
        amounts.push(h.amounts[i]!);
      }
    }
    [h.days, h.amounts] = [days, amounts];
  }
  return out;
}

/** Features at `at` the way the trainer computed them before: SDK events built from one customer's History. */
function referenceFeatures(h: History, at: number): number[] | null {
  const events: ShoalEvent[] = [];
  h.days.forEach((ts, i) => {
    if (ts > at) return;
    const total = Math.round(h.amounts[i]! * 100) / 100;
    events.push({
      type: 'purchase',
      ts,
      orderId: `d${i}`,
      total,
      currency: 'USD',
      items: [{ productId: 'item', category: 'all', price: total, quantity: 1 }],
    });
  });
  return events.length ? featureVector(events.reduce(applyEvent, emptyAggregates()), at) : null;
}

describe('the compact purchase-day store', () => {
  let dir = '';
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'shoal-history-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const txns = transactions(11);
  const ref = reference(txns);

  it('streams an unsorted line-item file into the same purchase-days as the per-transaction path', async () => {
    const path = join(dir, 'shop.csv');
    await writeFile(
      path,
      `customer_id,date,amount\n${txns.map((t) => `${t.customer},${new Date(t.ts).toISOString()},${t.amount.toFixed(2)}`).join('\n')}\n`,
    );
    const data = await loadDataset(path, 'elog');
    expect(data.rows).toBe(txns.length);
    expect(data.histories.ids).toEqual([...ref.keys()]);
    expect(data.histories.ids.map((_, i) => data.histories.at(i))).toEqual([...ref.values()]);
    expect(data.purchaseDays).toBe([...ref.values()].reduce((s, h) => s + h.days.length, 0));
    // Line items merge as they stream: far fewer stored entries than rows.
    expect(data.purchaseDays).toBeLessThan(txns.length * 0.6);
  });

  it('frames the same features, summaries and targets as per-customer arrays did', () => {
    const acc = historyBuilder('elog');
    for (const t of txns) acc.add(t.customer, t.ts, t.amount);
    const { histories } = acc.finish();
    const frame = buildFrame(histories, AT, END);
    const known = [...ref].filter(([, h]) => h.days[0]! <= AT);
    expect(frame.customers).toEqual(known.map(([c]) => c));
    expect(frame.x).toEqual(known.map(([, h]) => referenceFeatures(h, AT)));
    expect(frame.orders).toEqual(known.map(([, h]) => h.days.filter((d) => d <= AT).length));
    expect(frame.purchases).toEqual(known.map(([, h]) => h.days.filter((d) => d > AT && d <= END).length));
    expect(frame.spend).toEqual(
      known.map(([, h]) => h.days.reduce((s, d, i) => (d > AT && d <= END ? s + h.amounts[i]! : s), 0)),
    );
  });

  it('gives the holdout frame from the truncated frame exactly as a full rebuild would', () => {
    const histories = Histories.from(ref);
    const atCutoff = buildFrame(truncate(histories, AT), AT, AT);
    expect(atCutoff.purchases.every((p) => p === 0)).toBe(true);
    expect(withTargets(atCutoff, histories, END)).toEqual(buildFrame(histories, AT, END));
    expect(() => withTargets(atCutoff, Histories.from([...ref].slice(1)), END)).toThrow(/do not hold the customers/);
  });
});
