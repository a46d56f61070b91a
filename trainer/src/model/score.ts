/**
 * Turns the model's heads and the prior into forecasts, exactly as sdk/src/ml/predict.ts does in a browser:
 * purchases = prior · exp(value head), churn = σ(churn head − log prior), spend = purchases · prior spend
 * per purchase, value = log1p(spend). The parity test in publish/export.test.ts holds both sides to it.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import { type Normalisation, normalise } from '../../../sdk/src/features/index.js';
import { quantile } from '../math/index.js';
import { logPrior } from './losses.js';
import { type Prior, priorFor } from './prior.js';

export interface Scores {
  segment: number[];
  purchases: number[];
  spend: number[];
  /** log1p(spend): what value tiers are cut on. */
  value: number[];
  churn: number[];
}

/**
 * Scores raw feature rows over `horizonDays`, in batches so a million rows never sit in one tensor.
 * @example score(model, rows, norm, prior, 273).purchases[0] // the first row's expected purchase-days in 273 days
 */
export function score(
  model: tf.LayersModel,
  raw: readonly number[][],
  norm: Normalisation,
  prior: Prior,
  horizonDays: number,
): Scores {
  const out: Scores = { segment: [], purchases: [], spend: [], value: [], churn: [] };
  const BATCH = 16_384;
  for (let start = 0; start < raw.length; start += BATCH) {
    const rows = raw.slice(start, start + BATCH);
    const p = priorFor(rows, prior, horizonDays);
    const [seg, v, c] = tf.tidy(() => {
      const [probs, value, churn] = model.predict(tf.tensor2d(rows.map((r) => normalise(r, norm))), {
        batchSize: BATCH,
      }) as tf.Tensor[];
      return [probs!.argMax(1), value!, churn!];
    });
    const [segs, values, churns] = [seg!.dataSync(), v!.dataSync(), c!.dataSync()];
    tf.dispose([seg!, v!, c!]);
    rows.forEach((_, i) => {
      const purchases = p.purchases[i]! * Math.exp(values[i]!);
      const spend = purchases * p.spendPerPurchase[i]!;
      out.segment.push(segs[i]!);
      out.purchases.push(purchases);
      out.spend.push(spend);
      out.value.push(Math.log1p(spend));
      out.churn.push(1 / (1 + Math.exp(-(churns[i]! - logPrior(p.purchases[i]!)))));
    });
  }
  return out;
}

/**
 * Tiers from predicted values: high = top 20 %, mid = next 30 %, low = the rest (min far below any score).
 * @example valueTiers(pred)[0] // { name: 'high', min: quantile(pred, 0.8) }
 */
export function valueTiers(predicted: readonly number[]): ModelManifest['valueTiers'] {
  return [
    { name: 'high', min: quantile(predicted, 0.8) },
    { name: 'mid', min: quantile(predicted, 0.5) },
    { name: 'low', min: -1e9 },
  ];
}

/** The tier a value falls in (tiers ordered high → low, as in the manifest). */
export const tierOf = (tiers: ModelManifest['valueTiers'], value: number) =>
  (tiers.find((t) => value >= t.min) ?? tiers.at(-1)!).name;
