/**
 * The holdout evaluation: the calibrated model applied at the cutoff, scored against the window up to the
 * holdout end, next to the baselines on the very same customers.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Normalisation } from '../../../sdk/src/features/index.js';
import type { Frame } from '../frame/index.js';
import {
  adjustedRand,
  agreement,
  auc,
  byDecile,
  logLoss,
  mae,
  meanAt,
  rmse,
  scaledByGroupOutOfFold,
  spearman,
  sum,
  topDecileLift,
  varianceExplained,
} from '../math/index.js';
import { type Prior, type Scores, score } from '../model/index.js';
import type { Segmentation } from '../segments/index.js';
import { type Forecast, bgnbdForecast, lastPeriodForecast, rfmForecast, rfmGroups } from './baselines.js';
import { pct } from './format.js';

/** What the evaluation reads of a calibration: the served model, its segments and the frames it was fitted on. */
export interface Calibration {
  model: tf.LayersModel;
  norm: Normalisation;
  prior: Prior;
  segmentation: Pick<Segmentation, 'k' | 'labels' | 'silhouette'>;
  atCutoff: Pick<Frame, 'customers'>;
  /** The longest internal frame, which the RFM-rules baseline learns its group rates on. */
  rfmFrame: Frame;
}

export interface Evaluation {
  scores: Scores;
  /** Flat numbers for the manifest's `metrics` (and the quality gate). */
  metrics: Record<string, number>;
  forecasters: { name: string; purchases: Record<string, number>; spend: Record<string, number>; churnAuc: number }[];
  segments: {
    id: number;
    size: number;
    share: number;
    meanPurchases: number;
    meanSpend: number;
    churnRate: number;
    predictedPurchases: number;
  }[];
  /** Per bin of calibration repeat purchase-days: means, and each forecaster's summed squared error. */
  byFrequency: {
    x: string;
    n: number;
    actual: number;
    model: number;
    bgnbd: number;
    sseModel: number;
    sseBgnbd: number;
  }[];
  /** The MLP's forecasts by decile of themselves, against what happened: purchase-days and churn. */
  calibration: { purchases: ReturnType<typeof byDecile>; churn: ReturnType<typeof byDecile> };
  targets: { name: string; met: boolean; detail: string }[];
  gammaGamma: { p: number; q: number; gamma: number };
}

function forecastMetrics(f: Forecast, frame: Frame) {
  const total = sum(frame.purchases);
  return {
    purchases: {
      rmse: rmse(f.purchases, frame.purchases),
      mae: mae(f.purchases, frame.purchases),
      spearman: spearman(f.purchases, frame.purchases),
      lift10: topDecileLift(f.purchases, frame.purchases),
      total: sum(f.purchases),
      totalError: total > 0 ? sum(f.purchases) / total - 1 : 0,
    },
    spend: {
      rmse: rmse(f.spend, frame.spend),
      mae: mae(f.spend, frame.spend),
      spearman: spearman(f.spend, frame.spend),
      lift10: topDecileLift(f.spend, frame.spend),
      total: sum(f.spend),
      totalError: sum(frame.spend) > 0 ? sum(f.spend) / sum(frame.spend) - 1 : 0,
    },
    // Fewer expected purchases means likelier churn: every forecaster is scored as a churn ranking this way.
    churnAuc: auc(
      f.purchases.map((p) => -p),
      frame.purchases.map((p) => (p > 0 ? 0 : 1)),
    ),
  };
}

const FREQ_BINS = ['0', '1', '2', '3', '4', '5', '6', '7+'];

/**
 * @example const ev = evaluate(cal, buildFrame(histories, cutoff, holdoutEnd), dataStart); ev.metrics.model_purchases_rmse
 */
export function evaluate(cal: Calibration, frame: Frame, dataStart: number): Evaluation {
  if (
    frame.customers.length !== cal.atCutoff.customers.length ||
    frame.customers.some((c, i) => c !== cal.atCutoff.customers[i])
  ) {
    throw new Error('the evaluation frame does not hold the customers the model was calibrated on');
  }
  const horizonDays = (frame.end - frame.at) / 86_400_000;
  const scores = score(cal.model, frame.x, cal.norm, cal.prior, horizonDays);
  const bg = bgnbdForecast(frame, cal.prior, horizonDays);
  const churned = frame.purchases.map((p) => (p > 0 ? 0 : 1));
  const all = [
    { name: 'mlp', f: scores },
    { name: 'bgnbd', f: bg },
    { name: 'last_period', f: lastPeriodForecast(frame, dataStart) },
    { name: 'rfm_rules', f: rfmForecast(cal.rfmFrame, frame) },
  ].map(({ name, f }) => ({ name, ...forecastMetrics(f, frame) }));
  const [mlp, bgnbd] = [all[0]!, all[1]!];
  mlp.churnAuc = auc(scores.churn, churned);

  const k = cal.segmentation.k;
  const labels = cal.segmentation.labels;
  const agree = agreement(scores.segment, labels, k);
  const segShare = varianceExplained(frame.purchases, scores.segment);
  const rfmShare = varianceExplained(frame.purchases, rfmGroups(frame));
  const segments = Array.from({ length: k }, (_, id) => {
    const idx = scores.segment.flatMap((s, i) => (s === id ? [i] : []));
    const mean = (xs: readonly number[]) => meanAt(xs, idx);
    return {
      id,
      size: idx.length,
      share: idx.length / frame.x.length,
      meanPurchases: mean(frame.purchases),
      meanSpend: mean(frame.spend),
      churnRate: mean(churned),
      predictedPurchases: mean(scores.purchases),
    };
  });
  const bins = frame.summary.map((s) => Math.min(FREQ_BINS.length - 1, s.x));
  const byFrequency = FREQ_BINS.map((x, b) => {
    const idx = bins.flatMap((bin, i) => (bin === b && frame.orders[i]! > 0 ? [i] : []));
    const mean = (xs: readonly number[]) => meanAt(xs, idx);
    const sse = (xs: readonly number[]) => sum(idx.map((i) => (xs[i]! - frame.purchases[i]!) ** 2));
    return {
      x,
      n: idx.length,
      actual: mean(frame.purchases),
      model: mean(scores.purchases),
      bgnbd: mean(bg.purchases),
      sseModel: sse(scores.purchases),
      sseBgnbd: sse(bg.purchases),
    };
  });
  // Reads the holdout, out of fold: what a correction of the level per frequency bin could have added.
  const folds = frame.purchases.map((_, i) => i % 5);
  const scaledOof = (f: readonly number[]) =>
    rmse(scaledByGroupOutOfFold(f, frame.purchases, bins, folds), frame.purchases) / bgnbd.purchases.rmse;

  const metrics: Record<string, number> = {
    customers: frame.x.length,
    holdout_days: horizonDays,
    holdout_purchases: sum(frame.purchases),
    churn_rate: sum(churned) / Math.max(1, churned.length),
    churn_auc: mlp.churnAuc,
    churn_logloss: logLoss(scores.churn, churned),
    segments: k,
    silhouette: cal.segmentation.silhouette,
    segment_accuracy: agree.accuracy,
    segment_macro_f1: agree.macroF1,
    segment_kappa: agree.kappa,
    segment_variance_share: segShare,
    rfm_variance_share: rfmShare,
    segment_variance_ratio: rfmShare > 0 ? segShare / rfmShare : 0,
    segment_ari_vs_clusters: adjustedRand(scores.segment, labels),
  };
  for (const f of all) {
    for (const [key, value] of Object.entries(f.purchases)) metrics[`${f.name}_purchases_${key}`] = value;
    for (const [key, value] of Object.entries(f.spend)) metrics[`${f.name}_spend_${key}`] = value;
    metrics[`${f.name}_churn_auc`] = f.churnAuc;
  }
  metrics.purchases_rmse_ratio_bgnbd = mlp.purchases.rmse / bgnbd.purchases.rmse;
  metrics.purchases_rmse_ratio_bgnbd_mlp_scaled_by_frequency_oof = scaledOof(scores.purchases);
  metrics.purchases_rmse_ratio_bgnbd_bgnbd_scaled_by_frequency_oof = scaledOof(bg.purchases);
  metrics.churn_auc_minus_bgnbd = mlp.churnAuc - bgnbd.churnAuc;

  const targets = [
    {
      name: 'purchases RMSE ≤ 0.95 × BG/NBD',
      met: metrics.purchases_rmse_ratio_bgnbd <= 0.95,
      detail: `${mlp.purchases.rmse.toFixed(4)} vs ${bgnbd.purchases.rmse.toFixed(4)} (ratio ${metrics.purchases_rmse_ratio_bgnbd.toFixed(3)})`,
    },
    {
      name: 'total predicted purchases within ±10 %',
      met: Math.abs(mlp.purchases.totalError) <= 0.1,
      detail: `${pct(mlp.purchases.totalError)} (BG/NBD ${pct(bgnbd.purchases.totalError)})`,
    },
    {
      name: 'churn ROC-AUC ≥ BG/NBD',
      met: mlp.churnAuc >= bgnbd.churnAuc,
      detail: `${mlp.churnAuc.toFixed(4)} vs ${bgnbd.churnAuc.toFixed(4)}`,
    },
    {
      name: '≤ 8 segments explaining ≥ 1.2 × the RFM 9-group variance share',
      met: k <= 8 && segShare >= 1.2 * rfmShare,
      detail: `${k} segments: ${pct(segShare)} vs ${pct(rfmShare)} (×${(segShare / Math.max(1e-12, rfmShare)).toFixed(2)})`,
    },
  ];
  const calibration = {
    purchases: byDecile(scores.purchases, frame.purchases),
    churn: byDecile(scores.churn, churned),
  };
  return { scores, metrics, forecasters: all, segments, byFrequency, calibration, targets, gammaGamma: bg.gammaGamma };
}
