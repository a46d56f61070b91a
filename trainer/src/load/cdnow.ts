/**
 * The CDNOW layouts: Fader & Hardie's master file (customer, date, cds, dollars; whitespace separated),
 * the 1/10 sample (with a sample id second), and BTYD's elog CSV (masterid,sampleid,date,cds,sales).
 */
import { parseDate } from './dates.js';
import type { Drop } from './history.js';

export type CdnowLayout = 'master' | 'sample' | 'elog';

export interface Txn {
  customer: string;
  ts: number;
  amount: number;
}

const FIELDS: Record<CdnowLayout, number> = { master: 4, sample: 5, elog: 5 };

/** Detects the layout from the first non-empty line: a comma means the elog CSV, otherwise count fields. */
export function detectLayout(firstLine: string): CdnowLayout {
  if (firstLine.includes(',')) return 'elog';
  const fields = firstLine.trim().split(/\s+/);
  return /^\d+$/.test(fields[0] ?? '') && fields.length === 5 ? 'sample' : 'master';
}

/** Whether a line is the header the lifetimes copy (master) or BTYD (elog) adds; the originals have none. */
export const isCdnowHeader = (fields: readonly string[]) => fields[0] === 'customer_id' || fields[0] === 'masterid';

/**
 * One CDNOW row as a transaction, or why it was dropped.
 * @example cdnowRow(['00001', '19970101', '1', '11.77'], 'master') // { customer: '1', ts: …, amount: 11.77 }
 */
export function cdnowRow(fields: readonly string[], layout: CdnowLayout): Txn | Drop {
  const bad = (detail: string): Drop => ({ reason: 'malformed', detail });
  if (fields.length !== FIELDS[layout]) return bad(`expected ${FIELDS[layout]} fields, got ${fields.length}`);
  const [customer, date, cds, dollars] = layout === 'master' ? fields : [fields[0], fields[2], fields[3], fields[4]];
  if (!/^\d+$/.test(customer ?? '')) return bad(`customer id '${customer}' is not a number`);
  const ts = /^\d{8}$/.test(date ?? '') ? parseDate(date!) : null;
  if (ts === null) return bad(`date '${date}' is not a YYYYMMDD day`);
  const n = Number(cds);
  if (!Number.isInteger(n) || n < 1) return bad(`cds '${cds}' is not a positive integer`);
  const d = Number(dollars);
  if (dollars === '' || !Number.isFinite(d) || d < 0) return bad(`dollars '${dollars}' is not a non-negative amount`);
  // Leading zeros stripped, so every layout names a customer the same way.
  return { customer: String(Number(customer)), ts, amount: d };
}
