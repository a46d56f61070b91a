import * as tf from '@tensorflow/tfjs';
import { FEATURE_NAMES } from '../../sdk/src/contract/index.js';
import type { ModelManifest } from '../../sdk/src/contract/index.js';
import type { Frame } from './frame.js';
import { auc, quantile, rmse, spearman } from './stats.js';

/** Scores frames with the trained model and turns the scores into value tiers and manifest metrics. */
export interface Scores {
  segment: number[];
  value: number[];
  churn: number[];
}

/**
 * Runs the model on normalised rows.
 * @example scoreRows(model, xNorm).churn[0] // 0.83
 */
export function scoreRows(model: tf.LayersModel, xNorm: number[][]): Scores {
  const [p, v, c] = tf.tidy(() => {
    const [probs, value, churn] = model.predict(tf.tensor2d(xNorm), { batchSize: 8192 }) as tf.Tensor[];
    return [probs!.argMax(1), value!, churn!];
  });
  const out = { segment: Array.from(p!.dataSync(), Number), value: Array.from(v!.dataSync()), churn: Array.from(c!.dataSync()) };
  tf.dispose([p!, v!, c!]);
  return out;
}

/**
 * Tiers from predicted values: high = top 20 %, mid = next 30 %, low = the rest (min far below any score).
 * @example valueTiers(pred)[0] // { name: 'high', min: 3.1 }
 */
export function valueTiers(predicted: readonly number[]): ModelManifest['valueTiers'] {
  return [
    { name: 'high', min: quantile(predicted, 0.8) },
    { name: 'mid', min: quantile(predicted, 0.5) },
    { name: 'low', min: -1e9 },
  ];
}

const RECENCY = FEATURE_NAMES.indexOf('recency_days');

/**
 * Holdout metrics for a frame the model never trained on, next to simple baselines:
 * churn ⇐ "no purchase in the last 90 days" (and raw recency as a score), value ⇐ last period's spend.
 * @example evaluateFrame(frame, scores, kmeansLabels).churn_auc // 0.79
 */
export function evaluateFrame(frame: Frame, scores: Scores, clusterLabels: readonly number[]): Record<string, number> {
  const recencyDays = frame.x.map((r) => Math.expm1(r[RECENCY]!));
  const actual = frame.spend.map(Math.log1p);
  const persistence = frame.priorSpend.map(Math.log1p);
  return {
    churn_auc: auc(scores.churn, frame.churn),
    baseline_churn_auc_no_purchase_90d: auc(recencyDays.map((d) => (d > 90 ? 1 : 0)), frame.churn),
    baseline_churn_auc_recency: auc(recencyDays, frame.churn),
    value_rmse: rmse(scores.value, actual),
    value_spearman: spearman(scores.value, frame.spend),
    baseline_value_rmse_last_period: rmse(persistence, actual),
    baseline_value_spearman_last_period: spearman(persistence, frame.spend),
    segment_agreement: scores.segment.filter((s, i) => s === clusterLabels[i]).length / Math.max(1, scores.segment.length),
    churn_rate: frame.churn.reduce((s, c) => s + c, 0) / Math.max(1, frame.churn.length),
    customers: frame.x.length,
  };
}
