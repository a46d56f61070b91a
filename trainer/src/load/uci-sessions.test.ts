import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type ShoalEvent } from '../../../sdk/src/contract/index.js';
import { applyEvent, DAY_MS, emptyAggregates, featureVector } from '../../../sdk/src/features/index.js';
import { mulberry32, sampleIndices } from '../math/index.js';
import { readCsv } from './lines.js';
import { loadUciSessions, UCI_HEADER, UCI_MAPPING, type UciRow, uciSession } from './uci-sessions.js';

const UCI = resolve(
  import.meta.dirname,
  '../../../../shared/data/online_shoppers_intention_uci/online_shoppers_intention.csv',
);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A UCI row as the events a browser running the SDK would have recorded: a returning visitor's earlier visit a
 * day before; then the session's pages (account, content, then product pages, each a typed page_view and,
 * for product pages, a product_view), the time between them Google Analytics' duration spread evenly, each page
 * closed by the SDK's dwell event. It starts just after midnight UTC on the first Saturday (Weekend TRUE) or
 * Wednesday of its month in 2017, so the longest session still ends that day. `now` is the session's last
 * event, or its start when it has none (six rows have no page at all).
 */
function asEvents(r: UciRow): { events: ShoalEvent[]; now: number } {
  const month = MONTHS.indexOf(r.Month);
  const firstOfMonth = Date.UTC(2017, month, 1);
  const want = r.Weekend === 'TRUE' ? 6 : 3;
  const start = firstOfMonth + ((want - new Date(firstOfMonth).getUTCDay() + 7) % 7) * DAY_MS + 1000;
  const events: ShoalEvent[] = [];
  if (r.VisitorType === 'Returning_Visitor')
    events.push({ type: 'page_view', ts: start - DAY_MS, pageType: 'content' });
  const pages = [
    ...Array.from({ length: Number(r.Administrative) }, () => 'account' as const),
    ...Array.from({ length: Number(r.Informational) }, () => 'content' as const),
    ...Array.from({ length: Number(r.ProductRelated) }, () => 'product' as const),
  ];
  const totalMs = Math.round(
    1000 * (Number(r.Administrative_Duration) + Number(r.Informational_Duration) + Number(r.ProductRelated_Duration)),
  );
  pages.forEach((pageType, i) => {
    const ts = start + Math.round((i * totalMs) / pages.length);
    const next = start + Math.round(((i + 1) * totalMs) / pages.length);
    events.push({ type: 'page_view', ts, pageType });
    if (pageType === 'product')
      events.push({ type: 'product_view', ts, productId: `p${i}`, category: `c${i % 4}`, price: 10 });
    if (next > ts) events.push({ type: 'dwell', ts: next, ms: next - ts });
  });
  return { events, now: Math.max(start, events.at(-1)?.ts ?? start) };
}

async function uciRows(): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const { record } of readCsv(UCI)) rows.push(record);
  return rows.slice(1);
}

const asRow = (record: readonly string[]) => Object.fromEntries(UCI_HEADER.map((c, i) => [c, record[i]!])) as UciRow;

describe('UCI sessions', () => {
  it('maps each column to the value the SDK computes from the same session replayed as events', async () => {
    const rows = await uciRows();
    const num = (r: string[], c: string) => Number(r[UCI_HEADER.indexOf(c as (typeof UCI_HEADER)[number])]);
    const pages = (r: string[]) => num(r, 'Administrative') + num(r, 'Informational') + num(r, 'ProductRelated');
    // A seeded sample, plus the rows that test the edges: no page at all, one page with a duration, the
    // longest session, each visitor type, a weekend, every month.
    const pick = new Set(sampleIndices(rows.length, 150, mulberry32(17)));
    const edges = [
      rows.findIndex((r) => pages(r) === 0),
      rows.findIndex((r) => pages(r) === 1 && num(r, 'ProductRelated_Duration') > 0),
      rows.reduce(
        (best, r, i) => (num(r, 'ProductRelated_Duration') > num(rows[best]!, 'ProductRelated_Duration') ? i : best),
        0,
      ),
      rows.findIndex((r) => r[15] === 'Other'),
      rows.findIndex((r) => r[15] === 'New_Visitor'),
      rows.findIndex((r) => r[16] === 'TRUE'),
      ...MONTHS.map((m) => rows.findIndex((r) => r[10] === m)).filter((i) => i >= 0),
    ];
    expect(edges.every((i) => i >= 0)).toBe(true);
    for (const i of edges) pick.add(i);
    let checked = 0;
    for (const i of pick) {
      const record = rows[i]!;
      const { events, now } = asEvents(asRow(record));
      const vector = featureVector(events.reduce(applyEvent, emptyAggregates()), now);
      const mapped = uciSession(record);
      if ('reason' in mapped) throw new Error(`row ${i}: ${mapped.reason}`);
      UCI_MAPPING.forEach((m, j) => {
        expect(vector[FEATURE_NAMES.indexOf(m.feature)], `row ${i + 2} ${m.feature}`).toBeCloseTo(mapped.x[j]!, 9);
      });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(150);
  });

  it('loads all 12,330 sessions with the label and month, and names what is wrong with a bad row', async () => {
    const s = await loadUciSessions(UCI);
    expect(s.x).toHaveLength(12_330);
    expect(s.ordered.filter((y) => y === 1)).toHaveLength(1908);
    expect(new Set(s.month)).toEqual(new Set([2, 3, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(s.names).toEqual(UCI_MAPPING.map((m) => m.feature));
    const good = (await uciRows())[0]!;
    expect(uciSession(good.map((v, i) => (i === 10 ? 'Fevereiro' : v)))).toEqual({
      reason: 'malformed',
      detail: "Month 'Fevereiro' is not a month",
    });
    expect(uciSession(good.map((v, i) => (i === 4 ? '-1' : v)))).toMatchObject({ reason: 'malformed' });
    expect(uciSession(good.slice(1))).toMatchObject({ detail: 'expected 18 fields, got 17' });
  });
});
