/**
 * Trainer throughput and peak memory at growing customer counts, and memory against input file size.
 * Synthetic shops are CDNOW scaled up: each synthetic customer replays a real CDNOW customer's purchase-days
 * (drawn with a seeded PRNG), shifted by up to ±6 days and with spend jittered ±20 %, written as an elog CSV.
 * Each run trains in a child process (so its peak RSS is that run's own) and reports peak RSS
 * (getrusage maxrss), peak V8 heap (heap used plus typed-array buffers, sampled at every log line,
 * progress tick and 50 ms timer) and peak live heap (the same after one full GC at the end of each stage:
 * what the run holds, without the garbage that makes the other two depend on GC timing). The file-size check trains the same shop once more with every purchase-day
 * split into `--lines` same-day line items: same customers and purchase-days, several times the bytes, so its
 * memory must match the one-line run's. Every run is killed after `--timeout-min` minutes.
 *
 *   flock /tmp/shoal-bench.lock npx tsx bench/trainer-throughput.ts [sizes…] [--lines 4] [--lines-size 100000]
 *     [--timeout-min 15] [-- train options]      # default sizes: 10000 100000 1000000
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DAY_MS } from '../sdk/src/features/index.js';
import { loadDataset } from '../trainer/src/load/index.js';
import { mulberry32 } from '../trainer/src/math/index.js';

const ROOT = resolve(import.meta.dirname, '..');

interface ChildResult {
  customers: number;
  seconds: number;
  stages: string[];
  peakRssMb: number;
  peakHeapMb: number;
  /** Largest heap (plus buffers) left after a full GC at the end of a stage. */
  peakLiveMb: number;
  /** The same right after loading: the loaded data itself. */
  liveAfterLoadMb: number;
  ratio: number;
  version: string;
}

/** The child: one training run, reporting its own peak memory on the last stdout line. */
async function child(file: string, out: string, trainArgs: string[]): Promise<void> {
  const { train, TRAIN_DEFAULTS } = await import('../trainer/src/train.js');
  let peakHeap = 0;
  let peakLive = 0;
  const liveAt: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  };
  const timer = setInterval(sample, 50);
  const { values } = parseArgs({
    args: trainArgs,
    options: { epochs: { type: 'string' }, seed: { type: 'string' }, 'max-customers': { type: 'string' } },
  });
  const stages: string[] = [];
  const start = performance.now();
  const { evaluation, data, manifest } = await train(
    {
      data: file,
      format: 'elog',
      out,
      cutoff: '1997-09-30',
      holdoutEnd: '1998-06-30',
      epochs: Number(values.epochs ?? TRAIN_DEFAULTS.epochs),
      seed: Number(values.seed ?? TRAIN_DEFAULTS.seed),
      ...(values['max-customers'] ? { maxCustomers: Number(values['max-customers']) } : {}),
    },
    {
      log: (line) => {
        sample();
        // Stage and sub-stage lines end in their time; each is kept with the heap in use when it ended. A stage's
        // line may run over several lines (evaluate lists its targets): its head and its time are kept.
        const parts = line.split('\n');
        const time = parts.at(-1)!.match(/\([\d.]+ s\)$/)?.[0];
        // At the end of each top-level stage, one full GC: what is left is what the run holds (live), not the
        // garbage V8 happens not to have collected yet, which is what makes sampled heap and RSS noisy.
        if (time && line.startsWith('[')) {
          sample();
          (globalThis as { gc?: () => void }).gc?.();
          const live = process.memoryUsage();
          peakLive = Math.max(peakLive, live.heapUsed + live.arrayBuffers);
          liveAt.push((live.heapUsed + live.arrayBuffers) / 2 ** 20);
        }
        const m = process.memoryUsage();
        if (time)
          stages.push(
            `${parts.length > 1 ? `${parts[0]} … ${time}` : line}  [heap ${((m.heapUsed + m.arrayBuffers) / 2 ** 20).toFixed(0)} MB${line.startsWith('[') ? ' live' : ''}]`,
          );
      },
      onLoad: sample,
      onEpoch: sample,
    },
  );
  clearInterval(timer);
  sample();
  const result: ChildResult = {
    customers: data.histories.size,
    seconds: (performance.now() - start) / 1000,
    stages,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 2 ** 20,
    peakLiveMb: peakLive / 2 ** 20,
    liveAfterLoadMb: liveAt[0] ?? 0,
    ratio: evaluation.metrics.purchases_rmse_ratio_bgnbd!,
    version: manifest.version,
  };
  console.log(`BENCH ${JSON.stringify(result)}`);
}

/** Writes `n` synthetic customers, each purchase-day as `lines` same-day rows; returns the row count. */
async function writeShop(path: string, n: number, seed: number, lines: number): Promise<number> {
  const data = await loadDataset(resolve(ROOT, '../shared/data/cdnow/CDNOW_master.txt'), 'cdnow');
  const cdnow = Array.from({ length: data.histories.size }, (_, i) => data.histories.at(i));
  const rng = mulberry32(seed);
  const out = createWriteStream(path);
  let rows = 0;
  for (let c = 0; c < n; c++) {
    const h = cdnow[Math.floor(rng() * cdnow.length)]!;
    const shift = Math.round((rng() - 0.5) * 12) * DAY_MS;
    let text = '';
    for (let i = 0; i < h.days.length; i++) {
      const day = new Date(Math.min(Date.UTC(1998, 5, 30), Math.max(Date.UTC(1997, 0, 1), h.days[i]! + shift)))
        .toISOString()
        .slice(0, 10);
      const amount = h.amounts[i]! * (0.8 + 0.4 * rng());
      // Split into line items whose cents add up to the purchase-day's, so every split loads the same shop.
      const cents = Math.round(amount * 100);
      for (let l = 0; l < lines; l++) {
        const part = Math.floor(cents / lines) + (l < cents % lines ? 1 : 0);
        text += `s${c},${day},${(part / 100).toFixed(2)}\n`;
        rows++;
      }
    }
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return rows;
}

interface Run {
  label: string;
  n: number;
  lines: number;
  rows: number;
  mb: number;
  result: ChildResult | null;
  wallSeconds: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!, argv.slice(3));
  const dashes = argv.indexOf('--');
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const passThrough = dashes < 0 ? [] : argv.slice(dashes + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: { lines: { type: 'string' }, 'lines-size': { type: 'string' }, 'timeout-min': { type: 'string' } },
  });
  const sizes = positionals.map(Number).filter((n) => n > 0);
  const SIZES = sizes.length ? sizes : [10_000, 100_000, 1_000_000];
  const lines = Number(values.lines ?? 4);
  const linesSize = Number(values['lines-size'] ?? (SIZES.includes(100_000) ? 100_000 : SIZES[0]));
  const timeoutMs = Number(values['timeout-min'] ?? 15) * 60_000;
  const plan = SIZES.map((n) => ({ n, lines: 1 }));
  if (lines > 1) plan.splice(SIZES.indexOf(linesSize) + 1, 0, { n: linesSize, lines });

  const dir = await mkdtemp(join(tmpdir(), 'shoal-bench-'));
  const runs: Run[] = [];
  try {
    for (const { n, lines: l } of plan) {
      const file = join(dir, `shop-${n}-${l}.csv`);
      const rows = await writeShop(file, n, 7, l);
      const mb = (await stat(file)).size / 1e6;
      const label = `${n}${l > 1 ? ` ×${l} lines` : ''}`;
      const start = performance.now();
      const run = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          resolve(ROOT, 'bench/trainer-throughput.ts'),
          '--child',
          file,
          join(dir, `model-${n}-${l}`),
          ...passThrough,
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL' },
      );
      const wallSeconds = (performance.now() - start) / 1000;
      const line = run.stdout?.split('\n').find((s) => s.startsWith('BENCH '));
      const result = line ? (JSON.parse(line.slice(6)) as ChildResult) : null;
      runs.push({ label, n, lines: l, rows, mb, result, wallSeconds });
      await rm(file, { force: true });
      if (!result) {
        console.error(
          `${label}: ${run.error ? `killed after ${(wallSeconds / 60).toFixed(1)} min (${run.error.message})` : `exit ${run.status}`}\n${(run.stderr ?? '').slice(-2000)}`,
        );
        continue;
      }
      console.log(
        `${label} customers (${rows} rows, ${mb.toFixed(1)} MB): ${result.seconds.toFixed(1)} s in train(), ${(n / result.seconds).toFixed(0)} customers/s, ` +
          `peak RSS ${result.peakRssMb.toFixed(0)} MB, peak heap ${result.peakHeapMb.toFixed(0)} MB (live ${result.peakLiveMb.toFixed(0)} MB, after load ${result.liveAfterLoadMb.toFixed(0)} MB), RMSE ratio vs BG/NBD ${result.ratio.toFixed(3)}, model ${result.version}`,
      );
      for (const s of result.stages) console.log(`    ${s}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const done = runs.filter((r) => r.result);
  const ref = done.find((r) => r.lines === 1);
  if (!ref) return;
  console.log(
    '\n| run | rows | file MB | minutes | customers/s | peak RSS MB | peak heap MB | peak live MB | live after load MB | RSS KB per customer | RSS ratio | file ratio | time ratio | process wall min |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of done) {
    const x = r.result!;
    console.log(
      `| ${r.label} | ${r.rows} | ${r.mb.toFixed(1)} | ${(x.seconds / 60).toFixed(2)} | ${(r.n / x.seconds).toFixed(0)} | ${x.peakRssMb.toFixed(0)} | ${x.peakHeapMb.toFixed(0)} | ${x.peakLiveMb.toFixed(0)} | ${x.liveAfterLoadMb.toFixed(0)} | ` +
        `${((x.peakRssMb * 1024) / r.n).toFixed(2)} | ${(x.peakRssMb / ref.result!.peakRssMb).toFixed(2)} | ${(r.mb / ref.mb).toFixed(1)} | ${(x.seconds / ref.result!.seconds).toFixed(2)} | ${(r.wallSeconds / 60).toFixed(2)} |`,
    );
  }
  console.log(
    '(minutes and customers/s: train() from loading to the written model; process wall adds node/tsx start-up and tfjs wasm init. Ratios vs the first one-line run of this invocation; "×N lines" is the same shop with each purchase-day split into N rows)',
  );
}

await main();
