import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publish } from './publish.js';
import { TRAIN_DEFAULTS, train } from './train.js';

/** The trainer's one entry: `train` builds a model directory from CDNOW, `publish` uploads one to an edge. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const HELP = `Usage: tsx trainer/src/cli.ts <command> [options]

Commands
  train     Train the segment/value/churn model on CDNOW and write model.json, weights.bin, manifest.json
    --data <path>     CDNOW_master.txt, CDNOW_sample.txt or cdnowElog.csv
                      (default: <repo>/../shared/data/cdnow/CDNOW_master.txt)
    --out <dir>       output directory (default: models/default)
    --cutoff <date>   YYYY-MM-DD; fit on what was known then, evaluate on the ${TRAIN_DEFAULTS.horizonDays} days after (default: ${TRAIN_DEFAULTS.cutoff})
    --horizon <days>  days the value and churn heads look ahead (default: ${TRAIN_DEFAULTS.horizonDays})
    --epochs <n>      maximum epochs; early stopping may end sooner (default: ${TRAIN_DEFAULTS.epochs})
    --seed <n>        seed for every random choice (default: ${TRAIN_DEFAULTS.seed})
    --version <v>     model version (default: cdnow-<first 8 hex of the weights' sha256>)

  publish   Upload a model directory to an edge (POST <edge>/v1/models)
    --dir <dir>       model directory (default: models/default)
    --edge <url>      edge base URL, e.g. http://127.0.0.1:8787
    --token <token>   publish token (default: $SHOAL_PUBLISH_TOKEN)

  --help            show this text
`;

function int(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${text}'`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' }, out: { type: 'string' }, cutoff: { type: 'string' }, horizon: { type: 'string' },
      epochs: { type: 'string' }, seed: { type: 'string' }, version: { type: 'string' },
      dir: { type: 'string' }, edge: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 1;
  }
  if (command === 'train') {
    const out = resolve(values.out ?? resolve(ROOT, 'models/default'));
    const manifest = await train({
      data: resolve(values.data ?? resolve(ROOT, '../shared/data/cdnow/CDNOW_master.txt')),
      out,
      cutoff: values.cutoff ?? TRAIN_DEFAULTS.cutoff,
      horizonDays: int('horizon', values.horizon, TRAIN_DEFAULTS.horizonDays, 1),
      epochs: int('epochs', values.epochs, TRAIN_DEFAULTS.epochs, 1),
      seed: int('seed', values.seed, TRAIN_DEFAULTS.seed, 0),
      version: values.version,
    }, (line) => console.log(line));
    const m = manifest.metrics;
    console.log(`done: ${out}\nversion ${manifest.version}\nsegments ${manifest.segments.map((s) => s.name).join(', ')}`);
    console.log(`holdout churn AUC ${m.churn_auc?.toFixed(3)} vs ${m.baseline_churn_auc_no_purchase_90d?.toFixed(3)} baseline; ` +
      `value Spearman ${m.value_spearman?.toFixed(3)} vs ${m.baseline_value_spearman_last_period?.toFixed(3)}`);
    return 0;
  }
  if (command === 'publish') {
    const token = values.token ?? process.env.SHOAL_PUBLISH_TOKEN;
    if (!values.edge || !token) throw new Error('publish needs --edge and --token (or SHOAL_PUBLISH_TOKEN)');
    const result = await publish({ dir: resolve(values.dir ?? resolve(ROOT, 'models/default')), edge: values.edge, token });
    console.log(JSON.stringify(result.body, null, 2));
    if (!result.ok) {
      const err = (result.body as { error?: { code?: string; message?: string } } | null)?.error;
      console.error(`publish failed: HTTP ${result.status}${err ? ` ${err.code}: ${err.message}` : ''}`);
      return 1;
    }
    return 0;
  }
  throw new Error(`unknown command '${command}' (try --help)`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
