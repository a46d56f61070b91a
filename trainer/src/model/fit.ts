/**
 * The training loop, written out (optimizer.minimize per batch) because tfjs-layers' fit() insists each
 * target has its head's shape, and the prior-corrected heads need the prior beside the target. Batch order
 * comes from the seeded PRNG; early stopping on validation loss restores the best epoch's weights.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../math/index.js';
import { churnWithOffset, poissonWithOffset } from './losses.js';
import { TRUNK } from './network.js';

/** The rows fitModel learns from, aligned by index. */
export interface TrainingSet {
  /** Normalised feature rows. */
  x: number[][];
  segment: number[];
  /** Purchase-days in the row's target window. */
  purchases: number[];
  /** 1 when the customer bought nothing in the window. */
  churn: number[];
  /** log of the prior's expected purchases over the row's window (losses.ts). */
  offset: number[];
  /**
   * The internal frame (target window) each row comes from. When given, every window gets its own learned
   * log-level beside the prior, and the value head's bias stays 0: the correction then learns only how
   * customers differ from the prior within a window, while the aggregate level of each window — cohort
   * decay, season, a horizon shorter than the served one — is left to the prior's own horizon scaling.
   */
  window?: number[];
  /**
   * log(row's window length / served horizon), ≤ 0 for windows shorter than the served horizon. When given,
   * a training-only linear unit g on the trunk learns how each customer's correction changes with the
   * horizon (value = f + g · logHorizon), so windows of different lengths train one f without averaging
   * their horizons into it; served.ts folds g into the served head (value-head.ts foldHorizonSlope).
   */
  logHorizon?: number[];
}

export interface FitOptions {
  nSegments: number;
  seed: number;
  epochs: number;
  batchSize?: number;
  patience?: number;
  validationSplit?: number;
  learningRate?: number;
  onEpoch?: (epoch: number, max: number) => void;
}

/** Progress of every model the trainer fits, by label ('train', 'cross-fit 1/2', 'ceiling 3/5'…): one bar each in the CLI. */
export type EpochHook = (epoch: number, max: number, label: string) => void;

/** FitOptions.onEpoch for one labelled fit. */
export const labelled = (hook: EpochHook | undefined, label: string) =>
  hook ? (epoch: number, max: number) => hook(epoch, max, label) : undefined;

export interface FitResult {
  /** The horizon unit g (absent without TrainingSet.logHorizon): folded into the value head, never served alone. */
  horizonSlope?: { kernel: number[]; bias: number };
  /** The learned per-window log-levels (empty without TrainingSet.window): diagnostics, never served. */
  windowLevels: number[];
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainRows: number;
  valRows: number;
}

/** Balanced class weights n / (k · count), so a small segment counts as much as a big one in the loss. */
export function balancedWeights(labels: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) counts[l]!++;
  return counts.map((c) => (c > 0 ? labels.length / (k * c) : 1));
}

interface Batch {
  x: tf.Tensor2D;
  segment: tf.Tensor2D;
  /** Per-row class weight of the segment label. */
  weight: tf.Tensor1D;
  value: tf.Tensor2D;
  churn: tf.Tensor2D;
  /** One-hot window of each row (a matMul with the levels: gather has no gradient kernel on wasm). */
  window?: tf.Tensor2D;
  logHorizon?: tf.Tensor2D;
}

function batchOf(
  set: TrainingSet,
  idx: readonly number[],
  nSegments: number,
  classWeights: readonly number[],
  nWindows: number,
): Batch {
  return tf.tidy(() => ({
    x: tf.tensor2d(idx.map((i) => set.x[i]!)),
    segment: tf
      .oneHot(
        tf.tensor1d(
          idx.map((i) => set.segment[i]!),
          'int32',
        ),
        nSegments,
      )
      .toFloat() as tf.Tensor2D,
    weight: tf.tensor1d(idx.map((i) => classWeights[set.segment[i]!]!)),
    value: tf.tensor2d(idx.map((i) => [set.purchases[i]!, set.offset[i]!])),
    churn: tf.tensor2d(idx.map((i) => [set.churn[i]!, set.offset[i]!])),
    window: set.window
      ? (tf
          .oneHot(
            tf.tensor1d(
              idx.map((i) => set.window![i]!),
              'int32',
            ),
            nWindows,
          )
          .toFloat() as tf.Tensor2D)
      : undefined,
    logHorizon: set.logHorizon ? tf.tensor2d(idx.map((i) => [set.logHorizon![i]!])) : undefined,
  }));
}

/** The horizon unit: the model with its last trunk layer as a fourth output, and g's weights on it. */
interface Slope {
  net: tf.LayersModel;
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** The model with its last trunk layer as a fourth output (segment, value, churn, trunk), sharing its weights. */
export function withTrunk(model: tf.LayersModel): tf.LayersModel {
  const trunk = model.getLayer(TRUNK.at(-1)!.name).output as tf.SymbolicTensor;
  return tf.model({ inputs: model.inputs, outputs: [...(model.outputs as tf.SymbolicTensor[]), trunk] });
}

function slopeOf(model: tf.LayersModel): Slope {
  return {
    net: withTrunk(model),
    kernel: tf.variable(tf.zeros([TRUNK.at(-1)!.units, 1]), true, 'horizon_slope_kernel'),
    bias: tf.variable(tf.zeros([1]), true, 'horizon_slope_bias'),
  };
}

/** The summed loss of the three heads; the segment term weighted per row by class. */
function loss(
  model: tf.LayersModel,
  b: Batch,
  training: boolean,
  levels: tf.Variable | null,
  slope: Slope | null,
): tf.Scalar {
  const [seg, value, churn, trunk] = (slope ? slope.net : model).apply(b.x, { training }) as tf.Tensor[];
  const ce = tf.metrics.categoricalCrossentropy(b.segment, seg!).mul(b.weight).mean();
  let v = levels && b.window ? value!.add(b.window.matMul(levels.expandDims(1))) : value!;
  if (slope && b.logHorizon) v = v.add(trunk!.matMul(slope.kernel).add(slope.bias).mul(b.logHorizon));
  return ce.add(poissonWithOffset(b.value, v)).add(churnWithOffset(b.churn, churn!)) as tf.Scalar;
}

const disposeBatch = (b: Batch) =>
  tf.dispose([
    b.x,
    b.segment,
    b.weight,
    b.value,
    b.churn,
    ...(b.window ? [b.window] : []),
    ...(b.logHorizon ? [b.logHorizon] : []),
  ]);

/**
 * Fits a model from createModel() in place and returns what happened.
 * @example await fitModel(model, set, { nSegments: 4, seed: 42, epochs: 60 }) // { bestEpoch: 23, ... }
 */
export async function fitModel(model: tf.LayersModel, set: TrainingSet, opts: FitOptions): Promise<FitResult> {
  const { nSegments, seed, epochs, batchSize = 512, patience = 10, validationSplit = 0.2, learningRate = 0.003 } = opts;
  const rng = mulberry32(seed);
  const order = permutation(set.x.length, rng);
  const nVal = Math.floor(set.x.length * validationSplit);
  if (nVal < 1 || nVal >= set.x.length)
    throw new Error(`validation split ${validationSplit} of ${set.x.length} rows leaves a side empty`);
  const trainIdx = order.slice(nVal);
  const classWeights = balancedWeights(
    trainIdx.map((i) => set.segment[i]!),
    nSegments,
  );
  const nWindows = set.window ? set.window.reduce((m, w) => Math.max(m, w + 1), 0) : 0;
  const levels = nWindows > 0 ? tf.variable(tf.zeros([nWindows]), true, 'window_levels') : null;
  const slope = set.logHorizon ? slopeOf(model) : null;
  const extra = [...(levels ? [levels] : []), ...(slope ? [slope.kernel, slope.bias] : [])];
  const val = batchOf(set, order.slice(0, nVal), nSegments, classWeights, nWindows);
  const optimizer = tf.train.adam(learningRate);
  // With window levels the value head's bias would only duplicate them, and it is what would be served.
  const vars = [
    ...model.trainableWeights
      .filter((w) => !(levels && w.originalName === 'value/bias'))
      .map((w) => w.read() as tf.Variable),
    ...extra,
  ];
  const snapshot = () => [...model.getWeights(), ...extra].map((w) => w.clone());
  let best = { epoch: 0, loss: Infinity, weights: snapshot() };
  let epoch = 0;
  for (; epoch < epochs && epoch - best.epoch < patience; epoch++) {
    opts.onEpoch?.(epoch + 1, epochs);
    const shuffled = permutation(trainIdx.length, rng).map((i) => trainIdx[i]!);
    for (let start = 0; start < shuffled.length; start += batchSize) {
      const b = batchOf(set, shuffled.slice(start, start + batchSize), nSegments, classWeights, nWindows);
      optimizer.minimize(() => loss(model, b, true, levels, slope), false, vars);
      disposeBatch(b);
    }
    const v = tf.tidy(() => loss(model, val, false, levels, slope));
    const [current] = await v.data();
    v.dispose();
    if (current! < best.loss) {
      tf.dispose(best.weights);
      best = { epoch: epoch + 1, loss: current!, weights: snapshot() };
    }
  }
  const nModel = model.getWeights().length;
  model.setWeights(best.weights.slice(0, nModel));
  const windowLevels = levels ? [...best.weights[nModel]!.dataSync()] : [];
  const at = nModel + (levels ? 1 : 0);
  const horizonSlope = slope
    ? { kernel: [...best.weights[at]!.dataSync()], bias: best.weights[at + 1]!.dataSync()[0]! }
    : undefined;
  tf.dispose([...best.weights, ...extra]);
  disposeBatch(val);
  optimizer.dispose();
  return {
    windowLevels,
    horizonSlope,
    epochsRun: epoch,
    bestEpoch: best.epoch,
    bestValLoss: best.loss,
    trainRows: trainIdx.length,
    valRows: nVal,
  };
}
