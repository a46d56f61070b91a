import { basename } from 'node:path';
import { FEATURE_NAMES, type ModelManifest } from '../../sdk/src/contract/index.js';
import { DAY_MS } from '../../sdk/src/features/index.js';
import { normalise } from '../../sdk/src/ml/normalise.js';
import { useWasm } from './backend.js';
import { evaluateFrame, scoreRows, valueTiers } from './evaluate.js';
import { buildManifest, serialiseModel, writeModelDir } from './export.js';
import { fitModel } from './fit.js';
import { buildFrame } from './frame.js';
import { loadCdnow } from './load/cdnow.js';
import { createModel } from './model.js';
import { nameSegments, profileOf } from './naming.js';
import { chooseK, nearest } from './segments.js';
import { columnStats, withoutDuplicates } from './stats.js';

/** The `train` pipeline: load → frame → segments → model → evaluate → export, one logged stage each. */
export interface TrainOptions {
  data: string;
  out: string;
  /** YYYY-MM-DD; the model is fitted on what was knowable then, and evaluated on the horizon after it. */
  cutoff: string;
  horizonDays: number;
  epochs: number;
  seed: number;
  version?: string;
}

export const TRAIN_DEFAULTS = { cutoff: '1997-09-30', horizonDays: 91, epochs: 150, seed: 42 } satisfies Partial<TrainOptions>;

async function stage<T>(log: (line: string) => void, name: string, run: () => T | Promise<T>, say: (r: T) => string): Promise<T> {
  const start = performance.now();
  const result = await run();
  log(`[${name}] ${say(result)} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Trains on CDNOW and writes model.json, weights.bin and manifest.json into `opts.out`.
 * @example const m = await train({ ...TRAIN_DEFAULTS, data: 'CDNOW_master.txt', out: 'models/default' }, console.log);
 */
export async function train(opts: TrainOptions, log: (line: string) => void): Promise<ModelManifest> {
  const cutoff = Date.parse(`${opts.cutoff}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.cutoff) || Number.isNaN(cutoff)) throw new Error(`--cutoff '${opts.cutoff}' is not YYYY-MM-DD`);
  const horizon = opts.horizonDays * DAY_MS;
  const t0 = cutoff - horizon;
  await useWasm();

  const data = await stage(log, 'load', () => loadCdnow(opts.data), (d) =>
    `${d.format}: ${d.rows} rows → ${d.purchaseDays} purchase-days, ${d.histories.size} customers, ${d.dropped.length} dropped` +
    d.dropped.slice(0, 5).map((x) => `\n  line ${x.line}: ${x.reason}`).join(''));
  const lastTs = Math.max(...[...data.histories.values()].map((h) => h.at(-1)?.ts ?? 0));
  if (lastTs < cutoff + horizon) throw new Error(`data ends ${day(lastTs)}, before the evaluation window ends ${day(cutoff + horizon)}`);

  const [calib, holdout] = await stage(log, 'frame', () => [buildFrame(data.histories, t0, opts.horizonDays), buildFrame(data.histories, cutoff, opts.horizonDays)], ([c, h]) =>
    `calibration at t0=${day(t0)}: ${c.x.length} customers, churn ${(mean(c.churn) * 100).toFixed(1)} %; ` +
    `evaluation at ${opts.cutoff}: ${h.x.length} customers, churn ${(mean(h.churn) * 100).toFixed(1)} %`);
  const { duplicates, ...norm } = withoutDuplicates(columnStats(calib.x), calib.x);
  const unused = norm.std.flatMap((s, j) => (s < 1e-6 ? [FEATURE_NAMES[j]] : []));
  log(`  features unused (constant or duplicate in this data): ${unused.join(', ')}${duplicates.length ? ` (duplicates: ${duplicates.map((j) => FEATURE_NAMES[j]).join(', ')})` : ''}`);
  const xCal = calib.x.map((r) => normalise(r, norm));
  const xHold = holdout.x.map((r) => normalise(r, norm));

  const seg = await stage(log, 'segments', () => chooseK(xCal, { seed: opts.seed }), (s) =>
    `k=${s.k} (silhouette ${s.scores.map((x) => `k${x.k}=${x.silhouette.toFixed(3)}`).join(' ')})`);
  const typical = profileOf(new Array<number>(FEATURE_NAMES.length).fill(0), norm);
  const segments = nameSegments(seg.centroids.map((c) => profileOf(c, norm)), typical);
  log(`  typical customer: ${typical.orders.toFixed(2)} orders, $${typical.revenue.toFixed(0)}, last order ${typical.recencyDays.toFixed(0)} days ago`);
  const sizes = segments.map((s) => seg.labels.filter((l) => l === s.id).length);
  segments.forEach((s, i) => log(`  ${s.id} ${s.name} (${sizes[i]}): ${s.description}`));

  const model = createModel(FEATURE_NAMES.length, seg.k, opts.seed);
  const fit = await stage(log, 'fit', () => fitModel(model, {
    x: xCal, segment: seg.labels, value: calib.spend.map(Math.log1p), churn: calib.churn,
  }, { nSegments: seg.k, seed: opts.seed, epochs: opts.epochs }), (f) =>
    `${f.trainRows} train / ${f.valRows} validation rows, ${f.epochsRun} epochs, best ${f.bestEpoch} (val loss ${f.bestValLoss.toFixed(4)})`);

  const { metrics, tiers } = await stage(log, 'evaluate', () => {
    const onCalib = scoreRows(model, xCal);
    const onHold = scoreRows(model, xHold);
    const holdLabels = xHold.map((r) => nearest(r, seg.centroids).index);
    const agreement = onCalib.segment.filter((s, i) => s === seg.labels[i]).length / onCalib.segment.length;
    const metrics: Record<string, number> = { ...evaluateFrame(holdout, onHold, holdLabels), train_segment_agreement: agreement, silhouette: seg.silhouette };
    return { tiers: valueTiers(onCalib.value), metrics };
  }, ({ metrics: m }) => `holdout churn AUC ${m.churn_auc!.toFixed(3)} (baseline 90d ${m.baseline_churn_auc_no_purchase_90d!.toFixed(3)}), ` +
    `value RMSE ${m.value_rmse!.toFixed(3)} (baseline ${m.baseline_value_rmse_last_period!.toFixed(3)}), segment agreement ${m.segment_agreement!.toFixed(3)}`);

  return stage(log, 'export', async () => {
    const artifacts = await serialiseModel(model);
    const manifest = buildManifest(artifacts, {
      version: opts.version, dataset: 'cdnow', createdAt: cutoff, normalisation: norm, horizonDays: opts.horizonDays,
      segments, valueTiers: tiers, metrics,
      training: {
        dataset: basename(opts.data), format: data.format, cutoff: opts.cutoff, t0: day(t0), horizonDays: opts.horizonDays,
        customers: calib.x.length, holdoutCustomers: holdout.x.length, rowsDropped: data.dropped.length,
        epochs: fit.epochsRun, bestEpoch: fit.bestEpoch, maxEpochs: opts.epochs, seed: opts.seed, k: seg.k, backend: 'wasm',
      },
    });
    await writeModelDir(opts.out, artifacts, manifest);
    model.dispose();
    return manifest;
  }, (m) => `${opts.out}: version ${m.version}, weights ${m.weights.bytes} bytes, sha256 ${m.weights.sha256.slice(0, 16)}…`);
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
