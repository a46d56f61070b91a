/**
 * The evaluation report for people and machines: report.json (everything), report.md (the tables and the
 * targets), and the SVG plots (plots.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sum } from '../math/index.js';
import { type LevelBacktest, SHRINK_GRID, type Shrinkage } from '../model/index.js';
import type { Ceiling } from './ceiling.js';
import type { Evaluation } from './evaluate.js';
import { fixed as f, pct } from './format.js';
import { frequencyPlot, segmentPlot } from './plots.js';

export interface ReportContext {
  dataset: string;
  format: string;
  cutoff: string;
  holdoutEnd: string;
  segments: { id: number; name: string; description: string }[];
  loadSummary: string;
  levelBacktest: LevelBacktest[];
  shrinkage: Shrinkage;
  /** From `--ceiling`, else null. */
  ceiling: Ceiling | null;
  extra: Record<string, unknown>;
}

function markdown(ev: Evaluation, ctx: ReportContext): string {
  const sseModel = sum(ev.byFrequency.map((b) => b.sseModel));
  const sseBgnbd = sum(ev.byFrequency.map((b) => b.sseBgnbd));
  const lines = [
    `# Holdout evaluation: ${ctx.dataset}`,
    '',
    `Format ${ctx.format}; model fitted on data up to ${ctx.cutoff}, scored on purchases in (${ctx.cutoff}, ${ctx.holdoutEnd}]` +
      ` (${f(ev.metrics.holdout_days!, 0)} days) for ${ev.metrics.customers} customers active before the cutoff.`,
    '',
    `Load: ${ctx.loadSummary.split('\n')[0]}`,
    '',
    '## Targets',
    '',
    '| target | met | detail |',
    '|---|---|---|',
    ...ev.targets.map((t) => `| ${t.name} | ${t.met ? 'yes' : '**no**'} | ${t.detail} |`),
    '',
    '## Forecasts of holdout purchase-days and spend (same customers)',
    '',
    '| forecaster | RMSE | MAE | Spearman | top-decile lift | total vs actual | churn AUC | spend RMSE | spend Spearman | spend lift |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...ev.forecasters.map(
      (x) =>
        `| ${x.name} | ${f(x.purchases.rmse!, 4)} | ${f(x.purchases.mae!, 4)} | ${f(x.purchases.spearman!)} | ${f(x.purchases.lift10!, 2)} | ` +
        `${pct(x.purchases.totalError!)} | ${f(x.churnAuc, 4)} | ${f(x.spend.rmse!, 1)} | ${f(x.spend.spearman!)} | ${f(x.spend.lift10!, 2)} |`,
    ),
    '',
    `Actual holdout purchase-days: ${ev.metrics.holdout_purchases}. MLP churn log-loss ${f(ev.metrics.churn_logloss!, 4)}. ` +
      'Baselines score churn by −expected purchases. MAE is reported, not optimised: shrinking every forecast lowers it.',
    '',
    ctx.shrinkage.deviance.length
      ? `The MLP serves ${f(ctx.shrinkage.factor, 2)} × its learned correction of BG/NBD: the factor with the least out-of-fold Poisson deviance ` +
        `when models fitted on either half of the customers forecast the other half's internal windows (deviance at ${SHRINK_GRID.join(', ')}: ` +
        `${ctx.shrinkage.deviance.map((d) => f(d, 4)).join(', ')}).`
      : 'The MLP serves none of its learned correction of BG/NBD: too few customers to cross-fit whether it holds up.',
    '',
    '## Can the level be trusted? BG/NBD inside the calibration period',
    '',
    "The served forecast keeps BG/NBD's total at the cutoff; the features only move purchases between customers. " +
      'Fitted at each internal cutoff, BG/NBD forecast its window up to the cutoff this well. A holdout total error ' +
      'far outside this range means the level moved (a season, a campaign) in a way nothing before the cutoff showed.',
    '',
    '| internal cutoff | window (days) | BG/NBD total | actual | error |',
    '|---|---|---|---|---|',
    ...ctx.levelBacktest.map(
      (b) =>
        `| ${b.cutoff} | ${f(b.days, 0)} | ${f(b.forecast, 0)} | ${b.actual} | ${Number.isFinite(b.error) ? pct(b.error) : '–'} |`,
    ),
    `| holdout | ${f(ev.metrics.holdout_days!, 0)} | ${f(ev.metrics.bgnbd_purchases_total!, 0)} | ${ev.metrics.holdout_purchases} | ${pct(ev.metrics.bgnbd_purchases_totalError!)} |`,
    '',
    '## Where the error is: by repeat purchase-days before the cutoff',
    '',
    "| repeat purchase-days | customers | actual mean | MLP mean | BG/NBD mean | share of MLP squared error | share of BG/NBD's |",
    '|---|---|---|---|---|---|---|',
    ...ev.byFrequency.map(
      (b) =>
        `| ${b.x} | ${b.n} | ${f(b.actual)} | ${f(b.model)} | ${f(b.bgnbd)} | ${pct(b.sseModel / sseModel)} | ${pct(b.sseBgnbd / sseBgnbd)} |`,
    ),
    '',
    "A diagnostic that reads the holdout: multiply each forecaster's forecasts in each bin above by the factor that fits " +
      'the holdout best, learned on four fifths of the customers and scored on the fifth it did not see. RMSE ratio to BG/NBD: MLP ' +
      `${f(ev.metrics.purchases_rmse_ratio_bgnbd_mlp_scaled_by_frequency_oof!)} (served ${f(ev.metrics.purchases_rmse_ratio_bgnbd!)}), BG/NBD ` +
      `${f(ev.metrics.purchases_rmse_ratio_bgnbd_bgnbd_scaled_by_frequency_oof!)}. What such a correction gains is what this holdout's level by ` +
      'frequency had to teach; the rest of the error is ranking among customers of the same frequency.',
    '',
    ...(ctx.ceiling
      ? [
          `The same model trained on the holdout's own targets (\`--ceiling\`: ${ctx.ceiling.folds} folds, each trained on the other customers, ` +
            `so every customer is forecast by a model that never saw them): RMSE ratio ${f(ctx.ceiling.rmseRatio)}, total ${pct(ctx.ceiling.totalError)}. ` +
            "It knows the holdout's level and horizon; a target well below its ratio asks for information these features do not hold.",
          '',
        ]
      : []),
    "## Calibration: the MLP's forecasts by decile, against the holdout",
    '',
    'Customers ranked by one forecast at a time (purchase-days, then churn probability) and cut into ten equal groups, lowest ' +
      'first; per group the mean forecast and the mean outcome.',
    '',
    '| decile | customers | predicted purchase-days | actual | predicted churn | actual churn rate |',
    '|---|---|---|---|---|---|',
    ...ev.calibration.purchases.map((p, d) => {
      const c = ev.calibration.churn[d]!;
      return `| ${d + 1} | ${p.n} | ${f(p.predicted)} | ${f(p.actual)} | ${pct(c.predicted)} | ${pct(c.actual)} |`;
    }),
    '',
    '## Segments',
    '',
    `k = ${ev.metrics.segments} (silhouette ${f(ev.metrics.silhouette!)}); segment head vs clustering labels: accuracy ${f(ev.metrics.segment_accuracy!)}, ` +
      `macro-F1 ${f(ev.metrics.segment_macro_f1!)}, Cohen's κ ${f(ev.metrics.segment_kappa!)}. Share of holdout-purchase variance between segments ` +
      `${pct(ev.metrics.segment_variance_share!)} vs ${pct(ev.metrics.rfm_variance_share!)} for the 9 recency × frequency tertile groups.`,
    '',
    '| id | name | customers | share | mean holdout purchases | predicted | mean holdout spend | churn rate | description |',
    '|---|---|---|---|---|---|---|---|---|',
    ...ev.segments.map(
      (s) =>
        `| ${s.id} | ${ctx.segments[s.id]?.name} | ${s.size} | ${pct(s.share)} | ${f(s.meanPurchases)} | ${f(s.predictedPurchases)} | ${f(s.meanSpend, 2)} | ${pct(s.churnRate)} | ${ctx.segments[s.id]?.description} |`,
    ),
    '',
    '![by frequency](by-frequency.svg)',
    '',
    '![segments](segments.svg)',
    '',
  ];
  return lines.join('\n');
}

/**
 * Writes report.json, report.md, by-frequency.svg and segments.svg into `dir`.
 * @example await writeReport('out/cdnow', evaluation, context);
 */
export async function writeReport(dir: string, ev: Evaluation, ctx: ReportContext): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { scores: _scores, ...rest } = ev;
  await writeFile(join(dir, 'report.json'), `${JSON.stringify({ ...ctx, ...rest }, null, 2)}\n`);
  await writeFile(join(dir, 'report.md'), markdown(ev, ctx));
  await writeFile(join(dir, 'by-frequency.svg'), await frequencyPlot(ev));
  await writeFile(join(dir, 'segments.svg'), await segmentPlot(ev, ctx.segments));
}
