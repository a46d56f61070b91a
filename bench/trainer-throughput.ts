/**
 * Trainer throughput and peak memory at growing customer counts. Synthetic shops are CDNOW scaled up:
 * each synthetic customer replays a real CDNOW customer's purchase-days (drawn with a seeded PRNG), shifted
 * by up to ±6 days and with spend jittered ±20 %, written as an elog CSV. Each size trains in a child
 * process (so peak RSS is that run's own), and results print as customers/s and as ratios to the first size.
 *
 *   npx tsx bench/trainer-throughput.ts [sizes…] [-- train options]   # default sizes: 10000 100000 1000000
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DAY_MS } from '../sdk/src/features/index.js';
import { loadDataset } from '../trainer/src/load/index.js';
import { mulberry32 } from '../trainer/src/prng.js';

const ROOT = resolve(import.meta.dirname, '..');
const dashes = process.argv.indexOf('--');
const own = dashes < 0 ? process.argv.slice(2) : process.argv.slice(2, dashes);
const passThrough = dashes < 0 ? [] : process.argv.slice(dashes + 1);
const sizes = own.map(Number).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [10_000, 100_000, 1_000_000];

async function writeShop(path: string, n: number, seed: number): Promise<number> {
  const cdnow = [...(await loadDataset(resolve(ROOT, '../shared/data/cdnow/CDNOW_master.txt'), 'cdnow')).histories.values()];
  const rng = mulberry32(seed);
  const out = createWriteStream(path);
  let rows = 0;
  for (let c = 0; c < n; c++) {
    const h = cdnow[Math.floor(rng() * cdnow.length)]!;
    const shift = Math.round((rng() - 0.5) * 12) * DAY_MS;
    let text = '';
    h.days.forEach((d, i) => {
      const day = new Date(Math.min(Date.UTC(1998, 5, 30), Math.max(Date.UTC(1997, 0, 1), d + shift))).toISOString().slice(0, 10);
      text += `s${c},${day},${(h.amounts[i]! * (0.8 + 0.4 * rng())).toFixed(2)}\n`;
      rows++;
    });
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return rows;
}

const dir = await mkdtemp(join(tmpdir(), 'shoal-bench-'));
const results: { n: number; rows: number; mb: number; seconds: number; peakMb: number; ok: boolean }[] = [];
try {
  for (const n of SIZES) {
    const file = join(dir, `shop-${n}.csv`);
    const rows = await writeShop(file, n, 7);
    const mb = (await stat(file)).size / 1e6;
    const start = performance.now();
    // /usr/bin/time reports the child's peak resident set (KiB) on its last stderr line.
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--import', 'tsx', resolve(ROOT, 'trainer/src/cli.ts'), 'train', '--format', 'elog',
      '--data', file, '--cutoff', '1997-09-30', '--holdout-end', '1998-06-30', '--out', join(dir, `model-${n}`), ...passThrough], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT });
    const seconds = (performance.now() - start) / 1000;
    const peakMb = Number(run.stderr.trim().split('\n').at(-1)) / 1024;
    results.push({ n, rows, mb, seconds, peakMb, ok: run.status === 0 });
    if (run.status !== 0) console.error(run.stderr.slice(-2000));
    const r = results.at(-1)!;
    console.log(`${n} customers (${rows} rows, ${mb.toFixed(1)} MB): ${seconds.toFixed(1)} s, ${(n / seconds).toFixed(0)} customers/s, peak RSS ${peakMb.toFixed(0)} MB${r.ok ? '' : ' FAILED'}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const ref = results[0]!;
console.log('\nsize ratio | time ratio | throughput ratio | memory ratio   (vs the first size, same run)');
for (const r of results) {
  console.log(`${(r.n / ref.n).toFixed(0).padStart(10)} | ${(r.seconds / ref.seconds).toFixed(2).padStart(10)} | ${(r.n / r.seconds / (ref.n / ref.seconds)).toFixed(2).padStart(16)} | ${(r.peakMb / ref.peakMb).toFixed(2).padStart(12)}`);
}
