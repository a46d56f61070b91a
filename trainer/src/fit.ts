import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from './prng.js';

/**
 * The training loop: one `fit` call per epoch over a batch order drawn from the seeded PRNG (tfjs's own
 * shuffle cannot be seeded), early stopping on validation loss, and the best epoch's weights restored.
 */
export interface TrainingSet {
  /** Normalised feature rows. */
  x: number[][];
  segment: number[];
  value: number[];
  churn: number[];
}

export interface FitOptions {
  nSegments: number;
  seed: number;
  epochs: number;
  batchSize?: number;
  patience?: number;
  validationSplit?: number;
}

export interface FitResult {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainRows: number;
  valRows: number;
}

/** Balanced class weights n / (k · count), so a small segment counts as much as a big one in the loss. */
export function balancedWeights(labels: readonly number[], k: number): Record<number, number> {
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) counts[l]!++;
  return Object.fromEntries(counts.map((c, i) => [i, c > 0 ? labels.length / (k * c) : 1]));
}

function tensors(set: TrainingSet, idx: readonly number[], nSegments: number) {
  return tf.tidy(() => {
    const i = tf.tensor1d(idx as number[], 'int32');
    return {
      x: tf.gather(tf.tensor2d(set.x), i),
      y: [
        tf.gather(tf.oneHot(tf.tensor1d(set.segment, 'int32'), nSegments).toFloat(), i),
        tf.gather(tf.tensor2d(set.value, [set.value.length, 1]), i),
        tf.gather(tf.tensor2d(set.churn, [set.churn.length, 1]), i),
      ],
    };
  });
}

/**
 * The summed loss of the three heads. Not model.evaluate: for multi-output models tfjs 4.22 returns running
 * sums (segment, segment+value, total, …) in an order that does not match metricsNames.
 */
async function validationLoss(model: tf.LayersModel, x: tf.Tensor, [seg, value, churn]: tf.Tensor[]): Promise<number> {
  const total = tf.tidy(() => {
    // One batch: predict() defaults to batches of 32, which costs more in per-call overhead than the maths.
    const [pSeg, pValue, pChurn] = model.predict(x, { batchSize: 8192 }) as tf.Tensor[];
    return tf.metrics.categoricalCrossentropy(seg!, pSeg!).mean()
      .add(tf.metrics.meanSquaredError(value!, pValue!).mean())
      .add(tf.metrics.binaryCrossentropy(churn!, pChurn!).mean());
  });
  const [loss] = await total.data();
  total.dispose();
  return loss!;
}

/**
 * Fits a model from createModel() in place and returns what happened.
 * @example await fitModel(model, set, { nSegments: 4, seed: 42, epochs: 60 }) // { bestEpoch: 23, ... }
 */
export async function fitModel(model: tf.LayersModel, set: TrainingSet, opts: FitOptions): Promise<FitResult> {
  const { nSegments, seed, epochs, batchSize = 256, patience = 12, validationSplit = 0.2 } = opts;
  const rng = mulberry32(seed);
  const order = permutation(set.x.length, rng);
  const nVal = Math.floor(set.x.length * validationSplit);
  if (nVal < 1 || nVal >= set.x.length) throw new Error(`validation split ${validationSplit} of ${set.x.length} rows leaves a side empty`);
  const trainIdx = order.slice(nVal);
  const val = tensors(set, order.slice(0, nVal), nSegments);
  const classWeight = { segment: balancedWeights(trainIdx.map((i) => set.segment[i]!), nSegments) };
  let best = { epoch: 0, loss: Infinity, weights: [] as tf.Tensor[] };
  let epoch = 0;
  for (; epoch < epochs && epoch - best.epoch < patience; epoch++) {
    const batch = tensors(set, permutation(trainIdx.length, rng).map((i) => trainIdx[i]!), nSegments);
    await model.fit(batch.x, batch.y, { epochs: 1, batchSize, shuffle: false, classWeight, verbose: 0 });
    tf.dispose([batch.x, ...batch.y]);
    const loss = await validationLoss(model, val.x, val.y);
    if (loss < best.loss) {
      tf.dispose(best.weights);
      best = { epoch: epoch + 1, loss, weights: model.getWeights().map((w) => w.clone()) };
    }
  }
  model.setWeights(best.weights);
  tf.dispose([val.x, ...val.y, ...best.weights]);
  return { epochsRun: epoch, bestEpoch: best.epoch, bestValLoss: best.loss, trainRows: trainIdx.length, valRows: nVal };
}
