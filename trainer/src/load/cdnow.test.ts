import { describe, expect, it } from 'vitest';
import { detectFormat, mergeDays, parseCdnow } from './cdnow.js';

const MASTER = ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n 00002 19970112  5   77.00\r\n 00003 19970102  2    0.00\r\n';
const SAMPLE = ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n';
const ELOG = 'masterid,sampleid,date,cds,sales\n4,1,19970101,2,29.33\n4,1,19970118,2,29.73\n21,2,19970101,3,63.34\n';

describe('parseCdnow', () => {
  it('detects and reads the three layouts', () => {
    expect([MASTER, SAMPLE, ELOG].map((t) => detectFormat(t))).toEqual(['master', 'sample', 'elog']);
    const master = parseCdnow(MASTER);
    expect(master.dropped).toEqual([]);
    expect(master.rows.map((r) => [r.customer, r.date, r.cds, r.dollars, r.line])).toEqual([
      ['1', '19970101', 1, 11.77, 2], ['2', '19970112', 1, 12, 3], ['2', '19970112', 5, 77, 4], ['3', '19970102', 2, 0, 5],
    ]);
    // The sample and the elog CSV hold the same rows, so they must yield the same events.
    expect(mergeDays(parseCdnow(ELOG).rows).histories).toEqual(mergeDays(parseCdnow(SAMPLE).rows).histories);
    expect(parseCdnow(ELOG).rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('drops malformed rows and says which line and why', () => {
    const text = `${SAMPLE} 0x21 0002 19970101 3 1.00\n 00021 0002 19970231 3 1.00\n 00021 0002 19970301 0 1.00\n 00021 0002 19970301 1\n 00021 0002 19970301 1 -4\n`;
    const { rows, dropped } = parseCdnow(text, 'sample');
    expect(rows).toHaveLength(3);
    expect(dropped.map((d) => d.line)).toEqual([4, 5, 6, 7, 8]);
    expect(dropped.map((d) => d.reason)).toEqual([
      "customer id '0x21' is not a number",
      "date '19970231' is not a YYYYMMDD day",
      "cds '0' is not a positive integer",
      'expected 5 fields, got 4',
      "dollars '-4' is not a non-negative amount",
    ]);
    const csv = parseCdnow(`${ELOG}21,2,1997-01-01,3,63.34\n21,2\n`, 'elog');
    expect(csv.dropped).toEqual([
      { line: 5, reason: "date '1997-01-01' is not a YYYYMMDD day" },
      { line: 6, reason: 'expected 5 fields, got 2' },
    ]);
  });
});

describe('mergeDays', () => {
  it('merges a customer’s same-day rows into one purchase and keeps zero-dollar days', () => {
    const { histories, dropped } = mergeDays(parseCdnow(MASTER).rows);
    expect(dropped).toEqual([]);
    expect([...histories.keys()]).toEqual(['1', '2', '3']);
    expect(histories.get('2')).toEqual([{
      type: 'purchase', ts: Date.UTC(1997, 0, 12), orderId: '2-19970112', total: 89, currency: 'USD',
      items: [{ productId: 'cd', category: 'music', price: 89 / 6, quantity: 6 }],
    }]);
    expect(histories.get('3')?.[0]).toMatchObject({ total: 0 });
  });

  it('orders each history by time whatever the row order', () => {
    const rows = parseCdnow(' 00004 0001 19970118  2   29.73\n 00004 0001 19970101  2   29.33\n').rows;
    expect(mergeDays(rows).histories.get('4')?.map((e) => e.ts)).toEqual([Date.UTC(1997, 0, 1), Date.UTC(1997, 0, 18)]);
  });
});
