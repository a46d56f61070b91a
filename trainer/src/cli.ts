/** The trainer's one entry. Exit codes: 0 done, 1 failed, 2 bad usage, 3 refused by the quality gate. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { FORMATS, type Format } from './load/index.js';
import { currentManifest, gate, publish, readModelDir, rollback } from './publish/index.js';
import { TRAIN_DEFAULTS, train } from './train.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXIT = { ok: 0, failed: 1, usage: 2, gate: 3 } as const;

const HELP = `Usage: tsx trainer/src/cli.ts <command> [options]      (npm run train -- [options])

Commands
  train      Learn segments, purchases, spend and churn; evaluate on a time-split holdout against RFM rules,
             BG/NBD + Gamma-Gamma and last-period; write model.json, weights.bin, manifest.json, segments.json,
             report.json, report.md and SVG plots into --out
    --data <file>         transactions or events; .gz is read transparently
                          (default: <repo>/../shared/data/cdnow/CDNOW_master.txt)
    --format <f>          ${FORMATS.join(' | ')} (default: cdnow)
                          cdnow: master, 1/10 sample or BTYD elog layout; online-retail: the UCI CSV;
                          elog: CSV customer_id,date[,amount]; events: NDJSON of SDK events with customerId
    --cutoff <date>       YYYY-MM-DD; the model learns from data up to this day only
                          (default: cdnow 1997-09-30, online-retail 2011-06-09, else the last third held out)
    --holdout-end <date>  YYYY-MM-DD; the holdout (cutoff, end] scores the model and sets its horizon
                          (default: cdnow 1998-06-30, online-retail 2011-12-09, else the last day)
    --out <dir>           output directory (default: models/default)
    --predictions <csv>   one row per customer active before the cutoff: customer_id, segment,
                          predicted_purchases, predicted_spend, churn_probability, value_tier
    --previous <dir>      an earlier model whose segment names carry over (Hungarian matching; ARI reported)
    --epochs <n>          maximum epochs; early stopping usually ends sooner (default: ${TRAIN_DEFAULTS.epochs})
    --seed <n>            seed for every random choice (default: ${TRAIN_DEFAULTS.seed})
    --max-customers <n>   seeded subsample per training frame above this (default: 25000)
    --ceiling             also train the same model on the holdout itself, 5 folds, scored out of fold:
                          the RMSE these features could reach, in the report (5 more trainings)
    --version <v>         model version (default: <format>-<first 8 hex of the weights' sha256>)

  publish    Upload a model directory to an edge (POST <edge>/v1/models), after the quality gate
    --dir <dir>           model directory (default: models/default)
    --edge <url>          edge base URL, e.g. http://127.0.0.1:8787
    --token <token>       publish token (default: $SHOAL_PUBLISH_TOKEN)
    --force               publish even if the gate finds it worse than BG/NBD on its own holdout,
                          or than the edge's current model on the same data

  rollback   Make an earlier version current again (POST <edge>/v1/models/<version>/rollback)
    --edge, --token       as for publish
    --to <version>        the version to restore (default: the one before the current)

  --help                  show this text

Exit codes: 0 done, 1 failed, 2 bad usage, 3 refused by the quality gate.
`;

class UsageError extends Error {}

function int(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${text}'`);
  return n;
}

function bar(label: string) {
  // Progress goes to stderr and only to a terminal, so piped logs and scripts see clean lines.
  return new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% {value}/{total}`,
      stream: process.stderr,
      noTTYOutput: false,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

async function runTrain(values: Record<string, string | boolean | undefined>): Promise<number> {
  const format = (values.format ?? 'cdnow') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  const out = resolve((values.out as string | undefined) ?? resolve(ROOT, 'models/default'));
  const loading = bar('load'.padEnd(13));
  let loadStarted = false;
  // One bar per fitted model ('train', 'cross-fit 1/2', 'ceiling 3/5'…), replaced when the next one starts.
  let fitting: { label: string; bar: ReturnType<typeof bar> } | null = null;
  const stopFitting = () => {
    fitting?.bar.stop();
    fitting = null;
  };
  const { manifest, evaluation, data } = await train(
    {
      data: resolve((values.data as string | undefined) ?? resolve(ROOT, '../shared/data/cdnow/CDNOW_master.txt')),
      format,
      out,
      cutoff: values.cutoff as string | undefined,
      holdoutEnd: values['holdout-end'] as string | undefined,
      epochs: int('epochs', values.epochs as string | undefined, TRAIN_DEFAULTS.epochs, 1),
      seed: int('seed', values.seed as string | undefined, TRAIN_DEFAULTS.seed, 0),
      maxCustomers: int('max-customers', values['max-customers'] as string | undefined, 25_000, 100),
      ceiling: values.ceiling === true,
      version: values.version as string | undefined,
      previous: values.previous as string | undefined,
      predictions: values.predictions ? resolve(values.predictions as string) : undefined,
    },
    {
      log: (line) => {
        loading.stop();
        stopFitting();
        console.log(line);
      },
      onLoad: (done, total) => {
        if (!loadStarted) loading.start(total, 0);
        loadStarted = true;
        loading.update(done);
      },
      onEpoch: (epoch, max, label) => {
        if (fitting?.label !== label) {
          stopFitting();
          fitting = { label, bar: bar(label.padEnd(13)) };
          fitting.bar.start(max, 0);
        }
        fitting.bar.update(epoch);
      },
    },
  );
  loading.stop();
  stopFitting();
  const m = evaluation.metrics;
  console.log(
    [
      '',
      `model ${manifest.version} → ${out}`,
      `data: ${data.histories.size} customers, ${data.rows - data.kept} of ${data.rows} rows dropped; ${m.customers} scored on a ${m.holdout_days}-day holdout`,
      `segments (${manifest.segments.length}): ${manifest.segments.map((s) => s.name).join(', ')}`,
      ...evaluation.forecasters.map(
        (f) =>
          `  ${f.name.padEnd(12)} RMSE ${f.purchases.rmse!.toFixed(4)}  total ${(f.purchases.totalError! * 100).toFixed(1).padStart(6)} %  churn AUC ${f.churnAuc.toFixed(4)}`,
      ),
      ...evaluation.targets.map((t) => `  ${t.met ? '✓' : '✗'} ${t.name}: ${t.detail}`),
      `report: ${resolve(out, 'report.md')}${values.predictions ? `; predictions: ${resolve(values.predictions as string)}` : ''}`,
    ].join('\n'),
  );
  return EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      cutoff: { type: 'string' },
      'holdout-end': { type: 'string' },
      predictions: { type: 'string' },
      previous: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      'max-customers': { type: 'string' },
      version: { type: 'string' },
      dir: { type: 'string' },
      edge: { type: 'string' },
      token: { type: 'string' },
      force: { type: 'boolean' },
      ceiling: { type: 'boolean' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (command === 'train') return runTrain(values);
  const token = values.token ?? process.env.SHOAL_PUBLISH_TOKEN;
  if (!values.edge || !token) throw new UsageError(`${command} needs --edge and --token (or SHOAL_PUBLISH_TOKEN)`);
  if (command === 'publish') {
    const dir = resolve(values.dir ?? resolve(ROOT, 'models/default'));
    const { manifest } = await readModelDir(dir);
    const verdict = gate(manifest, await currentManifest(values.edge));
    for (const r of verdict.reasons) console.log(`gate: ${r}`);
    if (!verdict.pass && !values.force) {
      console.error('publish refused by the quality gate (use --force to override)');
      return EXIT.gate;
    }
    const result = await publish({ dir, edge: values.edge, token });
    console.log(JSON.stringify(result.body, null, 2));
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  if (command === 'rollback') {
    const result = await rollback({ edge: values.edge, token, version: values.to });
    console.log(JSON.stringify(result.body, null, 2));
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  throw new UsageError(`unknown command '${command}' (try --help)`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(
      err instanceof UsageError || (err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')
        ? EXIT.usage
        : EXIT.failed,
    );
  },
);
