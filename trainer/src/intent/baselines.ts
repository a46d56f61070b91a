import { createRequire } from 'node:module';
import { Matrix, solve } from 'ml-matrix';

/**
 * The two baselines the tower is judged beside, fitted on exactly its inputs and rows in the same run.
 *
 * Logistic regression: L2-penalised (λ = 1 on standardised inputs, scikit-learn's default C = 1), fitted by
 * Newton's method (iteratively reweighted least squares; Hastie, Tibshirani & Friedman, The Elements of
 * Statistical Learning §4.4.1), each step solved by ml-matrix. The intercept is not penalised.
 *
 * Gradient-boosted trees: XGBoost itself (Chen & Guestrin 2016), its C++ compiled to WebAssembly by the
 * ml-xgboost package (mljs, 1.1.2 of 2018: not maintained since, but the algorithm is XGBoost's own code, and
 * no maintained JavaScript GBT exists). Settings fixed before any evaluation, close to scikit-learn's
 * HistGradientBoostingClassifier defaults the reference used: learning rate 0.1, 100 rounds, depth 4,
 * no row or column subsampling (so the fit is deterministic).
 */
export type Rows = readonly (readonly number[])[];
/** Fits on (x, y) and returns the probabilities it gives the rows `score`. */
export type Baseline = (x: Rows, y: readonly number[], score: Rows) => Promise<number[]>;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * @example await logisticRegression(xTrain, yTrain, [[0.2, 1]]) // [0.31]
 */
export async function logisticRegression(x: Rows, y: readonly number[], score: Rows, lambda = 1): Promise<number[]> {
  const d = (x[0]?.length ?? 0) + 1;
  let w = new Array<number>(d).fill(0);
  const row = (r: readonly number[]) => [1, ...r];
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    x.forEach((r, n) => {
      const a = row(r);
      const p = sigmoid(a.reduce((s, v, j) => s + v * w[j]!, 0));
      const h = p * (1 - p);
      for (let i = 0; i < d; i++) {
        grad[i]! += (p - y[n]!) * a[i]!;
        for (let j = 0; j < d; j++) hess[i]![j]! += h * a[i]! * a[j]!;
      }
    });
    for (let i = 1; i < d; i++) {
      grad[i]! += lambda * w[i]!;
      hess[i]![i]! += lambda;
    }
    const step = solve(new Matrix(hess), Matrix.columnVector(grad)).to1DArray();
    w = w.map((v, i) => v - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return score.map((r) => sigmoid(row(r).reduce((s, v, j) => s + v * w[j]!, 0)));
}

interface Booster {
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
  free(): void;
}
type BoosterClass = new (options: Record<string, string | number>) => Booster;

let xgboost: Promise<BoosterClass> | null = null;

/** ml-xgboost is CommonJS whose export is a promise of the class, resolved once its WebAssembly has compiled. */
function loadXgboost(): Promise<BoosterClass> {
  if (!xgboost) {
    // Its emscripten loader binds console.warn as it loads, then tries fetch() on a file path, which fails, and
    // says it falls back to reading the file (which works): only those two lines are kept off the log.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!/wasm streaming compile failed|falling back to ArrayBuffer/.test(String(args[0]))) warn(...args);
    };
    xgboost = (createRequire(import.meta.url)('ml-xgboost') as Promise<BoosterClass>).finally(() => {
      console.warn = warn;
    });
  }
  return xgboost;
}

export const GBT_SETTINGS = {
  booster: 'gbtree',
  objective: 'binary:logistic',
  eta: 0.1,
  iterations: 100,
  max_depth: 4,
  min_child_weight: 1,
  subsample: 1,
  colsample_bytree: 1,
  silent: 1,
} as const;

/**
 * @example await gradientBoostedTrees(xTrain, yTrain, xTest) // probabilities
 */
export async function gradientBoostedTrees(x: Rows, y: readonly number[], score: Rows): Promise<number[]> {
  const XGBoost = await loadXgboost();
  const booster = new XGBoost({ ...GBT_SETTINGS });
  // Freed at once: the booster lives in WebAssembly memory the garbage collector cannot see.
  try {
    booster.train(
      x.map((r) => [...r]),
      [...y],
    );
    return booster.predict(score.map((r) => [...r]));
  } finally {
    booster.free();
  }
}
