import type { FeatureName } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import { auc, byDecile, columnStats, logLoss, mulberry32, permutation } from '../math/index.js';
import { type Baseline, gradientBoostedTrees, logisticRegression, type Rows } from './baselines.js';
import { type FunnelPrior, offsetOf } from './prior.js';
import { fitTower, sigmoid, type TowerOptions, towerLogits } from './tower.js';

/**
 * Honest evaluation of the tower recipe: 5-fold stratified cross-validation and a time split by month, the
 * tower beside logistic regression and XGBoost fitted on exactly its inputs and rows, in the same run. Every
 * fitted thing (normalisation included) sees only its training rows; nothing is chosen on a scored row.
 */
export interface Scores {
  auc: number;
  /** Average precision: the area under the precision–recall curve as scikit-learn computes it. */
  prAuc: number;
  logLoss: number;
}

export type ModelName = 'tower' | 'towerNoPrior' | 'logistic' | 'gbt';
export const MODEL_LABELS: Record<ModelName, string> = {
  tower: 'intent tower (served: monotone MLP ensemble + funnel prior)',
  towerNoPrior: 'intent tower, funnel prior off',
  logistic: 'logistic regression (L2, Newton)',
  gbt: 'gradient-boosted trees (XGBoost, wasm)',
};

export interface Decile {
  n: number;
  predicted: number;
  actual: number;
}

export interface SplitResult {
  name: 'cv' | 'month';
  description: string;
  train: number;
  scored: number;
  /** Observed order rate of the scored rows, and of the training rows. */
  rate: number;
  trainRate: number;
  /** Per model: cross-validation's mean over folds (with each fold's), the month split's one score. */
  models: Record<ModelName, Scores & { folds?: number[] }>;
  /** The served tower's predictions by decile of prediction (out of fold for cross-validation). */
  calibration: Decile[];
  /** Largest |mean prediction − observed rate| over the deciles. */
  maxDecileGap: number;
}

/**
 * Average precision, ties taken together (a block of equal scores counts at its end).
 * @example averagePrecision([0.9, 0.1], [1, 0]) // 1
 */
export function averagePrecision(scores: readonly number[], labels: readonly number[]): number {
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = labels.reduce((s, y) => s + y, 0);
  if (positives === 0) return 0;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let blockTp = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) blockTp += labels[order[j++]!]!;
    tp += blockTp;
    seen += j - i;
    ap += (blockTp / positives) * (tp / seen);
    i = j;
  }
  return ap;
}

const scoresOf = (p: readonly number[], y: readonly number[]): Scores => ({
  auc: auc(p, y),
  prAuc: averagePrecision(p, y),
  logLoss: logLoss(p, y),
});

/**
 * Fold 0..k−1 of each row, stratified: each class is shuffled (seeded) and dealt round-robin.
 * @example stratifiedFolds([0, 1, 0, 1], 2, 42) // e.g. [1, 0, 0, 1]
 */
export function stratifiedFolds(y: readonly number[], k: number, seed: number): number[] {
  const folds = new Array<number>(y.length);
  const rng = mulberry32(seed);
  for (const c of [0, 1]) {
    const idx = y.flatMap((v, i) => (v === c ? [i] : []));
    permutation(idx.length, rng).forEach((p, n) => {
      folds[idx[p]!] = n % k;
    });
  }
  return folds;
}

export interface RecipeOptions {
  names: readonly FeatureName[];
  monotone: readonly boolean[];
  prior: FunnelPrior | null;
  tower: Omit<TowerOptions, 'monotone'>;
}

/** What one training set teaches every model, scored on other rows: the same inputs, the same normalisation. */
async function fitAndScore(
  train: { x: Rows; y: readonly number[] },
  test: { x: Rows; raw: Rows },
  opts: RecipeOptions,
  allRaw: { names: readonly FeatureName[] },
): Promise<Record<ModelName, number[]>> {
  const norm = columnStats(train.x as number[][]);
  const xTrain = train.x.map((r) => normalise(r, norm));
  const xTest = test.x.map((r) => normalise(r, norm));
  const tower = await fitTower(xTrain, train.y, { ...opts.tower, monotone: opts.monotone });
  const logits = towerLogits(tower, xTest);
  const offsets = opts.prior ? offsetOf(opts.prior.offsets, allRaw.names, test.raw) : logits.map(() => 0);
  const models: [ModelName, Baseline][] = [
    ['logistic', logisticRegression],
    ['gbt', gradientBoostedTrees],
  ];
  const out = {
    tower: logits.map((z, i) => sigmoid(z + offsets[i]!)),
    towerNoPrior: logits.map(sigmoid),
  } as Record<ModelName, number[]>;
  for (const [name, baseline] of models) out[name] = await baseline(xTrain, train.y, xTest);
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);

function calibrationOf(p: readonly number[], y: readonly number[]): { calibration: Decile[]; maxDecileGap: number } {
  const calibration = byDecile(p, y);
  return { calibration, maxDecileGap: Math.max(...calibration.map((d) => Math.abs(d.predicted - d.actual))) };
}

/**
 * The recipe under both splits. `x` holds the tower's inputs (raw), `raw` every column of the sessions (for
 * the prior's offsets), `month` 1–12 per row.
 * @example const [cv, month] = await evaluateRecipe({ x, raw, y, month }, opts, 42);
 */
export async function evaluateRecipe(
  data: { x: Rows; raw: Rows; rawNames: readonly FeatureName[]; y: readonly (0 | 1)[]; month: readonly number[] },
  opts: RecipeOptions,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<SplitResult[]> {
  const { x, raw, y } = data;
  const names: ModelName[] = ['tower', 'towerNoPrior', 'logistic', 'gbt'];
  const results: SplitResult[] = [];
  const k = 5;
  const folds = stratifiedFolds(y, k, seed);
  const oof = Object.fromEntries(names.map((n) => [n, new Array<number>(y.length)])) as Record<ModelName, number[]>;
  const perFold = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<ModelName, number[]>;
  for (let f = 0; f < k; f++) {
    const tr = folds.flatMap((v, i) => (v === f ? [] : [i]));
    const te = folds.flatMap((v, i) => (v === f ? [i] : []));
    const p = await fitAndScore(
      { x: tr.map((i) => x[i]!), y: tr.map((i) => y[i]!) },
      { x: te.map((i) => x[i]!), raw: te.map((i) => raw[i]!) },
      { ...opts, tower: { ...opts.tower, seed: opts.tower.seed + f } },
      { names: data.rawNames },
    );
    for (const n of names) {
      te.forEach((i, j) => {
        oof[n][i] = p[n][j]!;
      });
      perFold[n].push(
        auc(
          p[n],
          te.map((i) => y[i]!),
        ),
      );
    }
    log(`  intent fold ${f + 1}/${k}: tower AUC ${perFold.tower.at(-1)!.toFixed(4)}`);
  }
  results.push({
    name: 'cv',
    description: `${k}-fold stratified cross-validation (seed ${seed}); AUC is the mean over folds, PR-AUC, log-loss and calibration are of the pooled out-of-fold predictions`,
    train: y.length - Math.round(y.length / k),
    scored: y.length,
    rate: mean(y),
    trainRate: mean(y),
    models: Object.fromEntries(
      names.map((n) => [n, { ...scoresOf(oof[n], y), auc: mean(perFold[n]), folds: perFold[n] }]),
    ) as SplitResult['models'],
    ...calibrationOf(oof.tower, y),
  });

  // The time split: the last two calendar months present are scored, everything before them trains.
  const months = [...new Set(data.month)].sort((a, b) => a - b);
  const held = months.slice(-2);
  const tr = data.month.flatMap((m, i) => (held.includes(m) ? [] : [i]));
  const te = data.month.flatMap((m, i) => (held.includes(m) ? [i] : []));
  const yTr = tr.map((i) => y[i]!);
  const yTe = te.map((i) => y[i]!);
  if (months.length >= 3 && new Set(yTr).size === 2 && new Set(yTe).size === 2) {
    const p = await fitAndScore(
      { x: tr.map((i) => x[i]!), y: yTr },
      { x: te.map((i) => x[i]!), raw: te.map((i) => raw[i]!) },
      opts,
      { names: data.rawNames },
    );
    const monthName = (m: number) => new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en', { month: 'short' });
    results.push({
      name: 'month',
      description: `time split by month: trained on ${months
        .filter((m) => !held.includes(m))
        .map(monthName)
        .join(', ')}; scored on ${held.map(monthName).join(', ')}`,
      train: tr.length,
      scored: te.length,
      rate: mean(yTe),
      trainRate: mean(yTr),
      models: Object.fromEntries(names.map((n) => [n, scoresOf(p[n], yTe)])) as SplitResult['models'],
      ...calibrationOf(p.tower, yTe),
    });
    log(`  intent month split: tower AUC ${results.at(-1)!.models.tower.auc.toFixed(4)}`);
  }
  return results;
}
