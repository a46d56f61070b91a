/**
 * The value head's calibration after fitting: every change to the served correction of log expected purchases
 * (the horizon unit folded in, the correction scaled, the level anchored to the prior) goes through
 * updateValueHead, as one linear layer the browser's forward pass reads unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalisation } from '../../../sdk/src/features/index.js';
import type { FitResult } from './fit.js';
import { type Prior, priorFor } from './prior.js';
import { score } from './score.js';

/**
 * Shifts the value head's bias so the corrected forecast at the cutoff sums to the prior's: the correction
 * moves expected purchases between customers, and the total over the served horizon stays the structural
 * prior's. Levels learned on the internal windows do not carry over (a window's level is its own cohort's and
 * season's, and a later, longer horizon need not share it), and a window's level cannot be read from any feature. Uses features at the cutoff only (no targets).
 * @example anchorToPrior(model, atCutoff.x, norm, prior, 273) // the log-shift added to value/bias
 */
export function anchorToPrior(
  model: tf.LayersModel,
  raw: readonly number[][],
  norm: Normalisation,
  prior: Prior,
  horizonDays: number,
): number {
  const expected = priorFor(raw, prior, horizonDays).purchases.reduce((s, e) => s + e, 0);
  const corrected = score(model, raw, norm, prior, horizonDays).purchases.reduce((s, e) => s + e, 0);
  if (!(expected > 0 && corrected > 0)) return 0;
  const shift = Math.log(expected / corrected);
  updateValueHead(model, (kernel, bias) => [kernel.clone(), bias.add(shift)]);
  return shift;
}

/**
 * Serves the value head at log-horizon `at`: value = f + g · at becomes one linear layer (kernel_f + at ·
 * kernel_g, bias_f + at · bias_g), so the browser's forward pass stays the same. fitServed folds at the
 * longest internal window rather than extrapolating g out to the served horizon, which no window reaches; when
 * this was chosen, folding beat having no horizon unit on CDNOW and Online Retail, and beat extrapolating on CDNOW.
 * @example foldHorizonSlope(model, fit.horizonSlope, Math.log(136 / 273)) // −0.697
 */
export function foldHorizonSlope(model: tf.LayersModel, slope: FitResult['horizonSlope'], at: number): number {
  if (!slope || at === 0) return at;
  updateValueHead(model, (kernel, bias) => [
    kernel.add(tf.tensor2d(slope.kernel, kernel.shape as [number, number]).mul(at)),
    bias.add(slope.bias * at),
  ]);
  return at;
}

/** Multiplies the value head (the served correction of log expected purchases) by `factor`: 0 serves the prior. */
export function scaleValueHead(model: tf.LayersModel, factor: number): void {
  if (factor !== 1) updateValueHead(model, (kernel, bias) => [kernel.mul(factor), bias.mul(factor)]);
}

/** Replaces the value head's kernel and bias with what `update` makes of them: every served change to it goes through here. */
function updateValueHead(
  model: tf.LayersModel,
  update: (kernel: tf.Tensor, bias: tf.Tensor) => [tf.Tensor, tf.Tensor],
): void {
  const head = model.getLayer('value');
  const [kernel, bias] = head.getWeights() as [tf.Tensor, tf.Tensor];
  const next = tf.tidy(() => update(kernel, bias));
  head.setWeights(next);
  tf.dispose(next);
}
