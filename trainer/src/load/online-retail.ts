/**
 * UCI Online Retail rows (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country)
 * → transactions. The dirt SOURCE.md lists is dropped and counted under its own reason: guest rows without
 * a customer id, cancellations (InvoiceNo C…), returns and adjustments (Quantity or UnitPrice ≤ 0), and
 * exact duplicate rows — which always repeat a line of the same invoice, so remembering one invoice's rows
 * suffices and memory stays flat.
 */
import type { Txn } from './cdnow.js';
import { parseDate } from './dates.js';
import type { Drop } from './history.js';

export const ONLINE_RETAIL_HEADER = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
];

/**
 * A stateful row reader (it tracks the current invoice's rows to spot duplicates).
 * @example const read = onlineRetailReader(); read(record) // Txn or Drop
 */
export function onlineRetailReader(): (record: readonly string[]) => Txn | Drop | 'header' {
  let invoice = '';
  let seen = new Set<string>();
  return (record) => {
    if (record[0] === 'InvoiceNo') return 'header';
    const bad = (detail: string): Drop => ({ reason: 'malformed', detail });
    if (record.length !== 8) return bad(`expected 8 fields, got ${record.length}`);
    const [invoiceNo, , , qtyText, dateText, priceText, customerText] = record as string[];
    if (invoiceNo !== invoice) {
      invoice = invoiceNo!;
      seen = new Set();
    }
    const key = record.join('\u0000');
    if (seen.has(key)) return { reason: 'duplicate row' };
    seen.add(key);
    const ts = parseDate(dateText!);
    if (ts === null) return bad(`InvoiceDate '${dateText}' is not a date`);
    const qty = Number(qtyText);
    const price = Number(priceText);
    if (qtyText === '' || !Number.isFinite(qty)) return bad(`Quantity '${qtyText}' is not a number`);
    if (priceText === '' || !Number.isFinite(price)) return bad(`UnitPrice '${priceText}' is not a number`);
    if (customerText === '') return { reason: 'missing customer id' };
    if (!/^\d+(\.0+)?$/.test(customerText!)) return bad(`CustomerID '${customerText}' is not a number`);
    if (invoiceNo!.startsWith('C')) return { reason: 'cancellation' };
    if (qty <= 0) return { reason: 'quantity ≤ 0' };
    if (price <= 0) return { reason: 'unit price ≤ 0' };
    return { customer: String(Number(customerText)), ts, amount: qty * price };
  };
}
