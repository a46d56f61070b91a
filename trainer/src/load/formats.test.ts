import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_SPEC } from '../../../sdk/src/contract/index.js';
import { loadDataset, loadExport } from './dataset.js';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('loaders for online-retail, elog, events and edge exports', () => {
  let dir = '';
  const file = async (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'shoal-formats-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('online-retail: counts each kind of dirt and merges a day’s invoices', async () => {
    const csv = [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,"HEART, WHITE",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
      '536365,85123A,"HEART, WHITE",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
      '536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom',
      '536367,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom',
      'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom',
      '536380,22961,JAM,-24,2010-12-01 09:41:00,1.45,14527.0,United Kingdom',
      '536381,22961,JAM,24,2010-12-01 09:41:00,0,14527.0,United Kingdom',
      '536382,22961,JAM,24,2010-13-01 09:41:00,1,14527.0,United Kingdom',
    ].join('\n');
    const d = await loadDataset(await file('or.csv.gz', gzipSync(csv)), 'online-retail');
    expect(d.drops.counts).toEqual({
      'duplicate row': 1,
      'missing customer id': 1,
      cancellation: 1,
      'quantity ≤ 0': 1,
      'unit price ≤ 0': 1,
      malformed: 1,
    });
    expect(d.drops.examples).toEqual(["line 9: InvoiceDate '2010-13-01 09:41:00' is not a date"]);
    expect(d.histories.get('17850')).toEqual({ days: [day('2010-12-01')], amounts: [6 * 2.55 + 6 * 1.85] });
    expect(d.histories.has('14527')).toBe(false);
  });

  it('elog: with or without a header, any column order, unsorted rows', async () => {
    const plain = await loadDataset(
      await file('a.csv', 'c1,2011-01-05,10\nc1,2011-01-02,5\nc1,2011-01-05,1\nc2,20110103,7\n'),
      'elog',
    );
    const named = await loadDataset(
      await file(
        'b.csv',
        'date,amount,customer_id\n2011-01-05,10,c1\n2011-01-02,5,c1\n2011-01-05,1,c1\n20110103,7,c2\n',
      ),
      'elog',
    );
    expect(plain.histories.get('c1')).toEqual({ days: [day('2011-01-02'), day('2011-01-05')], amounts: [5, 11] });
    expect(named.histories).toEqual(plain.histories);
    // The day as written, whatever offset follows it: 23:30 at +02:00 is still the shop's 3 January.
    const stamped = await loadDataset(
      await file(
        't.csv',
        'c1,2011-01-05T10:00:00Z,10\nc1,2011-01-02 09:00,5\nc1,2011-01-05T01:00:00-05:00,1\nc2,2011-01-03T23:30:00+02:00,7\n',
      ),
      'elog',
    );
    expect(stamped.histories).toEqual(plain.histories);
    const bad = await loadDataset(
      await file('c.csv', 'c1,2011-01-05,10\nc1,yesterday,1\n,2011-01-05,1\nc1,2011-01-06,-3\n'),
      'elog',
    );
    expect(bad.drops.counts).toEqual({ malformed: 1, 'missing customer id': 1, 'negative amount (return)': 1 });
    expect(bad.drops.examples[0]).toMatch(/^line 2: date 'yesterday'/);
  });

  it('events: SDK events with a customer id, browsing kept for features', async () => {
    const lines = [
      { customerId: 'u1', type: 'page_view', ts: day('2024-01-01') + 5 },
      {
        customerId: 'u1',
        type: 'purchase',
        ts: day('2024-01-02') + 9,
        orderId: 'o1',
        total: 20,
        currency: 'EUR',
        items: [],
      },
      { anonymousId: 'u2', type: 'search', ts: day('2024-01-03'), query: 'mug' },
      { type: 'page_view', ts: 1 },
      { customerId: 'u3', type: 'teleport', ts: 1 },
    ].map((l) => JSON.stringify(l));
    const d = await loadDataset(await file('e.ndjson', `${lines.join('\n')}\n{oops\n`), 'events');
    expect(d.histories.get('u1')?.days).toEqual([day('2024-01-02')]);
    expect(d.histories.get('u1')?.events?.map((e) => e.type)).toEqual(['page_view', 'purchase']);
    expect(d.histories.get('u2')?.days).toEqual([]);
    expect(d.drops.counts).toEqual({ 'missing customer id': 1, malformed: 2 });
    expect(d.drops.examples[1]).toMatch(/^line 6: not JSON/);
  });

  it('edge export: keeps rows of this feature spec, counts the rest', async () => {
    const row = {
      anonymousId: '6f1c2a4e-8b1d-4c3e-9f2a-1b2c3d4e5f60',
      specHash: FEATURE_SPEC.hash,
      features: FEATURE_SPEC.names.map(() => 0),
      counts: { events: 1, orders: 0, productViews: 0, addToCarts: 0, sessions: 1 },
      sentAt: 1,
      updatedAt: 2,
    };
    const text = [row, { ...row, specHash: '00000000' }, { ...row, features: 'x' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { rows, dropped, examples } = await loadExport(await file('x.ndjson', text));
    expect(rows).toHaveLength(1);
    expect(dropped).toEqual({ 'feature spec mismatch': 1, malformed: 1 });
    expect(examples[0]).toMatch(/^line 3: not an export row/);
  });
});
