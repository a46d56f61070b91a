import * as tf from '@tensorflow/tfjs';
import { churnWithOffset, poissonWithOffset } from './losses.js';
import { mulberry32, permutation } from './prng.js';

/**
 * The training loop, written out (optimizer.minimize per batch) because tfjs-layers' fit() insists each
 * target has its head's shape, and the prior-corrected heads need the prior beside the target. Batch order
 * comes from the seeded PRNG; early stopping on validation loss restores the best epoch's weights.
 */
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

export interface FitResult {
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
}

function batchOf(set: TrainingSet, idx: readonly number[], nSegments: number, classWeights: readonly number[]): Batch {
  return tf.tidy(() => ({
    x: tf.tensor2d(idx.map((i) => set.x[i]!)),
    segment: tf.oneHot(tf.tensor1d(idx.map((i) => set.segment[i]!), 'int32'), nSegments).toFloat() as tf.Tensor2D,
    weight: tf.tensor1d(idx.map((i) => classWeights[set.segment[i]!]!)),
    value: tf.tensor2d(idx.map((i) => [set.purchases[i]!, set.offset[i]!])),
    churn: tf.tensor2d(idx.map((i) => [set.churn[i]!, set.offset[i]!])),
  }));
}

/** The summed loss of the three heads; the segment term weighted per row by class. */
function loss(model: tf.LayersModel, b: Batch, training: boolean): tf.Scalar {
  const [seg, value, churn] = model.apply(b.x, { training }) as tf.Tensor[];
  const ce = tf.metrics.categoricalCrossentropy(b.segment, seg!).mul(b.weight).mean();
  return ce.add(poissonWithOffset(b.value, value!)).add(churnWithOffset(b.churn, churn!)) as tf.Scalar;
}

const disposeBatch = (b: Batch) => tf.dispose([b.x, b.segment, b.weight, b.value, b.churn]);

/**
 * Fits a model from createModel() in place and returns what happened.
 * @example await fitModel(model, set, { nSegments: 4, seed: 42, epochs: 60 }) // { bestEpoch: 23, ... }
 */
export async function fitModel(model: tf.LayersModel, set: TrainingSet, opts: FitOptions): Promise<FitResult> {
  const { nSegments, seed, epochs, batchSize = 512, patience = 10, validationSplit = 0.2, learningRate = 0.003 } = opts;
  const rng = mulberry32(seed);
  const order = permutation(set.x.length, rng);
  const nVal = Math.floor(set.x.length * validationSplit);
  if (nVal < 1 || nVal >= set.x.length) throw new Error(`validation split ${validationSplit} of ${set.x.length} rows leaves a side empty`);
  const trainIdx = order.slice(nVal);
  const classWeights = balancedWeights(trainIdx.map((i) => set.segment[i]!), nSegments);
  const val = batchOf(set, order.slice(0, nVal), nSegments, classWeights);
  const optimizer = tf.train.adam(learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let best = { epoch: 0, loss: Infinity, weights: model.getWeights().map((w) => w.clone()) };
  let epoch = 0;
  for (; epoch < epochs && epoch - best.epoch < patience; epoch++) {
    opts.onEpoch?.(epoch + 1, epochs);
    const shuffled = permutation(trainIdx.length, rng).map((i) => trainIdx[i]!);
    for (let start = 0; start < shuffled.length; start += batchSize) {
      const b = batchOf(set, shuffled.slice(start, start + batchSize), nSegments, classWeights);
      optimizer.minimize(() => loss(model, b, true), false, vars);
      disposeBatch(b);
    }
    const v = tf.tidy(() => loss(model, val, false));
    const [current] = await v.data();
    v.dispose();
    if (current! < best.loss) {
      tf.dispose(best.weights);
      best = { epoch: epoch + 1, loss: current!, weights: model.getWeights().map((w) => w.clone()) };
    }
  }
  model.setWeights(best.weights);
  tf.dispose([...best.weights]);
  disposeBatch(val);
  optimizer.dispose();
  return { epochsRun: epoch, bestEpoch: best.epoch, bestValLoss: best.loss, trainRows: trainIdx.length, valRows: nVal };
}
