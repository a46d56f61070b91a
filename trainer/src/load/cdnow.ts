import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import * as v from 'valibot';
import { EventSchema, type ShoalEvent } from '../../../sdk/src/contract/index.js';

/**
 * Reads the three CDNOW layouts (Fader & Hardie's master file, the 1/10 sample, BTYD's elog CSV) into one
 * shape: per customer, a time-ordered list of validated `purchase` events, one per purchase-day.
 */
export type CdnowFormat = 'master' | 'sample' | 'elog';

export interface CdnowRow {
  customer: string;
  /** YYYYMMDD, as in the source. */
  date: string;
  cds: number;
  dollars: number;
  line: number;
}

export interface Dropped {
  line: number;
  reason: string;
}

export interface CdnowData {
  format: CdnowFormat;
  rows: number;
  dropped: Dropped[];
  /** Customer id (leading zeros stripped, so every layout names a customer the same way) → events by time. */
  histories: Map<string, ShoalEvent[]>;
  purchaseDays: number;
}

const FIELDS: Record<CdnowFormat, number> = { master: 4, sample: 5, elog: 5 };

/** Detects the layout from the first non-empty line: a comma means the elog CSV, otherwise count fields. */
export function detectFormat(text: string): CdnowFormat {
  const first = text.split('\n', 20).find((l) => l.trim() !== '') ?? '';
  if (first.includes(',')) return 'elog';
  const fields = first.trim().split(/\s+/);
  return /^\d+$/.test(fields[0] ?? '') && fields.length === 5 ? 'sample' : 'master';
}

function toRow(fields: string[], line: number, format: CdnowFormat): CdnowRow | Dropped {
  if (fields.length !== FIELDS[format]) return { line, reason: `expected ${FIELDS[format]} fields, got ${fields.length}` };
  // Master is customer,date,cds,dollars; sample and elog add the sample id second.
  const [customer, date, cds, dollars] = format === 'master' ? fields : [fields[0], fields[2], fields[3], fields[4]];
  if (!/^\d+$/.test(customer ?? '')) return { line, reason: `customer id '${customer}' is not a number` };
  if (!/^\d{8}$/.test(date ?? '') || dayStart(date!) === null) return { line, reason: `date '${date}' is not a YYYYMMDD day` };
  const n = Number(cds);
  if (!Number.isInteger(n) || n < 1) return { line, reason: `cds '${cds}' is not a positive integer` };
  const d = Number(dollars);
  if (dollars === '' || !Number.isFinite(d) || d < 0) return { line, reason: `dollars '${dollars}' is not a non-negative amount` };
  return { customer: String(Number(customer)), date: date!, cds: n, dollars: d, line };
}

/** Midnight UTC of a YYYYMMDD day, or null when the day does not exist (e.g. 19970230). */
export function dayStart(yyyymmdd: string): number | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const ts = Date.UTC(y, m - 1, d);
  const back = new Date(ts);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ts : null;
}

/**
 * Parses CDNOW text into rows, dropping (not throwing on) malformed lines so one bad row cannot sink a run.
 * @example parseCdnow(' 00001 19970101  1   11.77\n', 'master').rows[0].dollars // 11.77
 */
export function parseCdnow(text: string, format = detectFormat(text)): { rows: CdnowRow[]; dropped: Dropped[] } {
  const rows: CdnowRow[] = [];
  const dropped: Dropped[] = [];
  const keep = (r: CdnowRow | Dropped) => ('reason' in r ? dropped.push(r) : rows.push(r));
  if (format === 'elog') {
    const records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    for (const { record, info } of records) {
      if (info.lines === 1 && record[0] === 'masterid') continue;
      keep(toRow(record, info.lines, format));
    }
    return { rows, dropped };
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i]!.trim().split(/\s+/);
    // The lifetimes copy of the master file carries a header line; Hardie's original has none.
    if (fields[0] === '' || (i === 0 && fields[0] === 'customer_id')) continue;
    keep(toRow(fields, i + 1, format));
  }
  return { rows, dropped };
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * Merges each customer's same-day rows into one purchase event. CDNOW logs a day's order as several rows;
 * the BTYD literature (and the reference figures in SOURCE.md) count purchase-days, not rows.
 * @example mergeDays(rows).histories.get('2')![0].total // 89 for the two 1997-01-12 rows
 */
export function mergeDays(rows: readonly CdnowRow[]): { histories: Map<string, ShoalEvent[]>; dropped: Dropped[] } {
  const days = new Map<string, { row: CdnowRow; cds: number; dollars: number }>();
  for (const row of rows) {
    const key = `${row.customer}-${row.date}`;
    const day = days.get(key);
    if (day) {
      day.cds += row.cds;
      day.dollars += row.dollars;
    } else days.set(key, { row, cds: row.cds, dollars: row.dollars });
  }
  const histories = new Map<string, ShoalEvent[]>();
  const dropped: Dropped[] = [];
  for (const [orderId, { row, cds, dollars }] of days) {
    const candidate = {
      type: 'purchase', ts: dayStart(row.date), orderId, total: cents(dollars), currency: 'USD',
      items: [{ productId: 'cd', category: 'music', price: dollars / cds, quantity: cds }],
    };
    const parsed = v.safeParse(EventSchema, candidate);
    if (!parsed.success) {
      dropped.push({ line: row.line, reason: `purchase ${orderId} fails EventSchema: ${parsed.issues[0].message}` });
      continue;
    }
    const list = histories.get(row.customer) ?? [];
    list.push(parsed.output);
    histories.set(row.customer, list);
  }
  for (const list of histories.values()) list.sort((a, b) => a.ts - b.ts);
  // Numeric customer order makes the frame identical whichever layout (or row order) the data came in.
  const sorted = new Map([...histories].sort(([a], [b]) => Number(a) - Number(b)));
  return { histories: sorted, dropped };
}

/**
 * Loads a CDNOW file of any of the three layouts.
 * @example const data = await loadCdnow('../shared/data/cdnow/CDNOW_master.txt'); data.histories.size // 23570
 */
export async function loadCdnow(path: string): Promise<CdnowData> {
  const text = await readFile(path, 'utf8');
  const format = detectFormat(text);
  const parsed = parseCdnow(text, format);
  const merged = mergeDays(parsed.rows);
  let purchaseDays = 0;
  for (const list of merged.histories.values()) purchaseDays += list.length;
  return { format, rows: parsed.rows.length, dropped: [...parsed.dropped, ...merged.dropped], histories: merged.histories, purchaseDays };
}
