/**
 * The generic event log: a CSV `customer_id,date[,amount]`, one row per transaction, with or without a
 * header. A header may name the columns in another order (customer/cust/id, date/day/ts, amount/sales/…).
 */
import type { Txn } from './cdnow.js';
import { parseDate } from './dates.js';
import type { Drop } from './history.js';

const ALIASES = {
  customer: ['customer_id', 'customer', 'cust', 'id', 'customerid', 'masterid', 'user_id'],
  date: ['date', 'day', 'ts', 'timestamp', 'invoicedate', 'order_date'],
  amount: ['amount', 'sales', 'spend', 'value', 'revenue', 'total', 'dollars', 'price'],
};

export interface ElogColumns {
  customer: number;
  date: number;
  amount: number | null;
}

/**
 * Columns from the first record: a header if its second field is not a date, else the positional layout.
 * @example elogColumns(['cust', 'date', 'sales']) // { customer: 0, date: 1, amount: 2 }
 */
export function elogColumns(first: readonly string[]): { columns: ElogColumns; header: boolean } {
  if (parseDate(first[1] ?? '') !== null)
    return { columns: { customer: 0, date: 1, amount: first.length > 2 ? 2 : null }, header: false };
  const lower = first.map((f) => f.toLowerCase());
  const find = (names: string[]) => lower.findIndex((f) => names.includes(f));
  const customer = find(ALIASES.customer);
  const date = find(ALIASES.date);
  const amount = find(ALIASES.amount);
  if (customer < 0 || date < 0)
    throw new Error(
      `elog header '${first.join(',')}' names no customer and date columns (expected customer_id,date[,amount])`,
    );
  return { columns: { customer, date, amount: amount < 0 ? null : amount }, header: true };
}

/**
 * @example elogRow(['c1', '2011-01-02', '9.5'], { customer: 0, date: 1, amount: 2 }) // { customer: 'c1', ts, amount: 9.5 }
 */
export function elogRow(record: readonly string[], c: ElogColumns): Txn | Drop {
  const bad = (detail: string): Drop => ({ reason: 'malformed', detail });
  const need = Math.max(c.customer, c.date, c.amount ?? 0) + 1;
  if (record.length < need) return bad(`expected at least ${need} fields, got ${record.length}`);
  const customer = record[c.customer]!;
  if (customer === '') return { reason: 'missing customer id' };
  const ts = parseDate(record[c.date]!);
  if (ts === null) return bad(`date '${record[c.date]}' is not a date (YYYY-MM-DD or YYYYMMDD, optional time)`);
  if (c.amount === null) return { customer, ts, amount: 0 };
  const text = record[c.amount]!;
  const amount = Number(text);
  if (text === '' || !Number.isFinite(amount)) return bad(`amount '${text}' is not a number`);
  if (amount < 0) return { reason: 'negative amount (return)' };
  return { customer, ts, amount };
}
