import * as tf from '@tensorflow/tfjs';
import type { FeatureName } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import type { Sessions } from '../load/index.js';
import { columnStats, quantile } from '../math/index.js';
import { evaluateRecipe } from './evaluate.js';
import { FUNNEL, funnelPrior } from './prior.js';
import type { IntentResult } from './result.js';
import { fitTower, sigmoid, type TowerOptions, towerLogits } from './tower.js';

export { intentReport, intentTargets } from './report.js';
export type { IntentResult } from './result.js';
export { MODEL_LABELS } from './evaluate.js';

/**
 * The intent stage: from visits (UCI sessions or a shop's own events) to the intent tower the model file
 * carries beside the customer trunk, with its evaluation. The tower reads the visit features that describe
 * engagement and its calendar; the funnel steps are learned when the data has them and otherwise enter as
 * the documented prior (prior.ts).
 */

/** What the tower may read, in this order, when the data has it and it varies. */
export const TOWER_CANDIDATES: readonly FeatureName[] = [
  'visit_product_views',
  'visit_pages_account',
  'visit_pages_content',
  'visit_duration_seconds',
  'returning',
  'weekend',
  'month_sin',
  'month_cos',
  ...FUNNEL.map((f) => f.feature),
];

/** Inputs more of which never lowers intent: engagement and the funnel (tower.ts says why). */
export const MONOTONE: readonly FeatureName[] = [
  'visit_product_views',
  'visit_pages_account',
  'visit_pages_content',
  'visit_duration_seconds',
  ...FUNNEL.map((f) => f.feature),
];

export const INTENT_LAYERS = [
  { name: 'intent_0', activation: 'relu' },
  { name: 'intent', activation: 'linear' },
] as const;

/**
 * @example const intent = await trainIntent(await loadUciSessions(path), { seed: 42 }, { log: console.log });
 */
export async function trainIntent(
  sessions: Sessions,
  opts: Omit<TowerOptions, 'monotone' | 'onEpoch'>,
  hooks: { log: (line: string) => void; onEpoch?: (epoch: number, max: number, label: string) => void },
): Promise<IntentResult> {
  if (sessions.x.length < 50) throw new Error(`the intent tower needs at least 50 visits, got ${sessions.x.length}`);
  const y = sessions.ordered;
  if (new Set(y).size < 2) throw new Error('the intent tower needs visits with and without an order');
  const stats = columnStats(sessions.x);
  const varies = (name: FeatureName) => {
    const j = sessions.names.indexOf(name);
    return j >= 0 && stats.max[j]! > stats.min[j]!;
  };
  const inputs = TOWER_CANDIDATES.filter(varies);
  const notLearned = TOWER_CANDIDATES.filter((n) => !varies(n));
  const cols = inputs.map((n) => sessions.names.indexOf(n));
  const x = sessions.x.map((r) => cols.map((j) => r[j]!));
  const monotone = inputs.map((n) => MONOTONE.includes(n));
  const orderRate = y.reduce((s: number, v) => s + v, 0) / y.length;
  // The prior stands in only for funnel steps the data cannot teach.
  const missing = FUNNEL.filter((f) => !inputs.includes(f.feature));
  const full = missing.length > 0 ? funnelPrior(orderRate) : null;
  const prior = full
    ? { ...full, offsets: full.offsets.filter((o) => missing.some((m) => m.feature === o.feature)) }
    : null;
  hooks.log(
    `  intent: ${x.length} ${sessions.source} visits (${(orderRate * 100).toFixed(1)} % ordered); inputs ${inputs.join(', ')}` +
      (prior ? `; funnel prior ${prior.offsets.map((o) => o.feature).join(', ')}` : ''),
  );
  const label = (what: string) =>
    hooks.onEpoch ? (epoch: number, max: number) => hooks.onEpoch!(epoch, max, what) : undefined;
  const splits = await evaluateRecipe(
    { x, raw: sessions.x, rawNames: sessions.names, y, month: sessions.month },
    { names: inputs, monotone, prior, tower: { ...opts, onEpoch: label('intent eval') } },
    opts.seed,
    hooks.log,
  );
  const norm = columnStats(x);
  const tower = await fitTower(
    x.map((r) => normalise(r, norm)),
    y,
    { ...opts, monotone, onEpoch: label('intent') },
  );
  const median = inputs.map((_, j) =>
    quantile(
      x.map((r) => r[j]!),
      0.5,
    ),
  );
  const [z] = towerLogits(tower, [normalise(median, norm)]);
  const typical = prior
    ? { visit: sigmoid(z!), cart: sigmoid(z! + prior.cart), checkout: sigmoid(z! + prior.cart + prior.checkout) }
    : null;
  const metrics: Record<string, number> = { intent_sessions: x.length, intent_order_rate: orderRate };
  for (const s of splits) {
    for (const [model, sc] of Object.entries(s.models)) {
      metrics[`intent_${s.name}_${model}_auc`] = sc.auc;
      metrics[`intent_${s.name}_${model}_pr_auc`] = sc.prAuc;
      metrics[`intent_${s.name}_${model}_log_loss`] = sc.logLoss;
    }
    metrics[`intent_${s.name}_max_decile_gap`] = s.maxDecileGap;
  }
  if (prior) {
    metrics.intent_prior_cart_log_odds = prior.cart;
    metrics.intent_prior_checkout_log_odds = prior.checkout;
  }
  return {
    source: sessions.source,
    sessions: x.length,
    orderRate,
    inputs,
    notLearned,
    monotone,
    prior,
    tower,
    normalisation: norm,
    splits,
    manifest: {
      inputs,
      normalisation: norm,
      layers: INTENT_LAYERS.map((l) => ({ ...l })),
      ...(prior ? { offsets: prior.offsets } : {}),
    },
    metrics,
    towerOptions: opts,
    typical,
  };
}

/**
 * The customer model with the tower beside it: one tfjs model, two inputs (the customer features, the
 * tower's), the customer outputs unchanged and the tower's logit as a fourth, so model.json and weights.bin
 * hold both and the browser runs both in one pass.
 * @example const both = withIntentTower(cal.model, intent); // outputs: segment, value, churn, intent
 */
export function withIntentTower(model: tf.LayersModel, intent: Pick<IntentResult, 'tower' | 'inputs'>): tf.LayersModel {
  const { tower } = intent;
  const input = tf.input({ shape: [intent.inputs.length], name: 'intent_features' });
  const hidden = tf.layers.dense({ units: tower.bias0.length, activation: 'relu', name: INTENT_LAYERS[0].name });
  const out = tf.layers.dense({ units: 1, activation: 'linear', name: INTENT_LAYERS[1].name });
  const logit = out.apply(hidden.apply(input)) as tf.SymbolicTensor;
  tf.tidy(() => {
    hidden.setWeights([tf.tensor2d(tower.kernel0), tf.tensor1d(tower.bias0)]);
    out.setWeights([tf.tensor2d(tower.kernel1.map((w) => [w])), tf.tensor1d([tower.bias1])]);
  });
  return tf.model({
    name: 'shoal',
    inputs: [...model.inputs, input],
    outputs: [...(model.outputs as tf.SymbolicTensor[]), logit],
  });
}
