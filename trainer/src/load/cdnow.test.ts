import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from './dataset.js';

const MASTER =
  ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n 00002 19970112  5   77.00\r\n 00003 19970102  2    0.00\r\n';
const SAMPLE = ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n';
const ELOG = 'masterid,sampleid,date,cds,sales\n4,1,19970101,2,29.33\n4,1,19970118,2,29.73\n21,2,19970101,3,63.34\n';

describe('loadDataset: cdnow', () => {
  let dir = '';
  const file = async (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'shoal-load-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the three layouts, gzip or not, into the same purchase-days', async () => {
    const master = await loadDataset(await file('m.txt', MASTER), 'cdnow');
    expect(master.drops.counts).toEqual({});
    // Customer 2's two rows on 1997-01-12 are one purchase-day of $89.
    expect(master.histories.get('2')).toEqual({ days: [Date.UTC(1997, 0, 12)], amounts: [89] });
    expect(master.purchaseDays).toBe(3);
    const sample = await loadDataset(await file('s.txt.gz', gzipSync(SAMPLE)), 'cdnow');
    const elog = await loadDataset(await file('e.csv', ELOG), 'cdnow');
    expect(elog.histories).toEqual(sample.histories);
  });

  it('drops malformed rows and says which line and why', async () => {
    const text = `${SAMPLE} 0x21 0002 19970101 3 1.00\n 00021 0002 19970231 3 1.00\n 00021 0002 19970301 0 1.00\n 00021 0002 19970301 1\n 00021 0002 19970301 1 -4\n${SAMPLE}`;
    const { drops, kept } = await loadDataset(await file('bad.txt', text), 'cdnow');
    expect(kept).toBe(6);
    expect(drops.counts).toEqual({ malformed: 5 });
    expect(drops.examples).toEqual([
      "line 4: customer id '0x21' is not a number",
      "line 5: date '19970231' is not a YYYYMMDD day",
      "line 6: cds '0' is not a positive integer",
      'line 7: expected 5 fields, got 4',
      "line 8: dollars '-4' is not a non-negative amount",
    ]);
  });

  it('refuses a file that is mostly not of the format', async () => {
    await expect(loadDataset(await file('junk.txt', 'hello world\nfoo bar\n'), 'cdnow')).rejects.toThrow(
      /most rows are malformed/,
    );
  });
});
