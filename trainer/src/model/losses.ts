/**
 * Losses for heads that correct a structural prior. The target tensor carries the prior as a second column,
 * [y, log E], because tfjs-layers losses see only (yTrue, yPred); the model itself never sees the prior, so
 * the browser's forward pass stays a plain MLP plus one addition.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Poisson deviance with a log-offset: rate = exp(head + log E), loss = rate − y · log rate (constant dropped).
 * @example poissonWithOffset(tf.tensor2d([[2, 0]]), tf.tensor2d([[0]])) // exp(0) − 2·0 = 1
 */
export function poissonWithOffset(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [y, offset] = tf.split(yTrue, 2, 1) as [tf.Tensor, tf.Tensor];
    const logRate = yPred.add(offset);
    return logRate.exp().sub(y.mul(logRate)).mean();
  });
}

/**
 * Binary cross-entropy on the logit head − log E: more expected purchases, lower churn, before correction.
 * @example churnWithOffset(tf.tensor2d([[1, 0]]), tf.tensor2d([[0]])) // ln 2
 */
export function churnWithOffset(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [y, offset] = tf.split(yTrue, 2, 1) as [tf.Tensor, tf.Tensor];
    return tf.losses.sigmoidCrossEntropy(y, yPred.sub(offset));
  });
}

/** The offset every head uses: log of the prior's expected purchases, floored so a dead customer stays finite. */
export const logPrior = (expected: number) => Math.log(Math.max(1e-4, expected));
