/**
 * Fits the model on the labelled training rows and turns it into the one served: the horizon unit folded into
 * the value head at the longest internal window, the correction scaled by the cross-fitted factor (shrink.ts),
 * and the level anchored to the prior's total at the cutoff (value-head.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import type { Normalisation } from '../../../sdk/src/features/index.js';
import { type EpochHook, type FitResult, type TrainingSet, fitModel, labelled } from './fit.js';
import { createModel } from './network.js';
import type { Prior } from './prior.js';
import { type Shrinkage, crossFitShrinkage } from './shrink.js';
import { anchorToPrior, foldHorizonSlope, scaleValueHead } from './value-head.js';

export interface Served {
  model: tf.LayersModel;
  fit: FitResult;
  /** The cross-fitted factor the served correction was scaled by (shrink.ts). */
  shrinkage: Shrinkage;
  /** The log-shift anchorToPrior added to the value head's bias. */
  valueShift: number;
}

/**
 * `rows` hold normalised features and segment labels; `half` splits their customers for cross-fitting;
 * `atCutoff` is what the level is anchored on (raw features at the cutoff, no targets).
 * @example const { model } = await fitServed(rows, half, { k: 3, seed: 42, epochs: 150, longest }, atCutoff, hooks);
 */
export async function fitServed(
  rows: TrainingSet,
  half: readonly (0 | 1)[],
  opts: { k: number; seed: number; epochs: number; longest: number },
  atCutoff: { x: readonly number[][]; norm: Normalisation; prior: Prior; horizonDays: number },
  hooks: { log: (line: string) => void; lap: (what: string) => void; onEpoch?: EpochHook },
): Promise<Served> {
  const { k, seed, epochs, longest } = opts;
  const model = createModel(FEATURE_NAMES.length, k, seed);
  const fit = await fitModel(model, rows, { nSegments: k, seed, epochs, onEpoch: labelled(hooks.onEpoch, 'train') });
  hooks.lap('model fitted');
  const foldedAt = foldHorizonSlope(model, fit.horizonSlope, Math.min(0, longest));
  const shrinkage = await crossFitShrinkage(rows, half, { nSegments: k, seed, epochs }, hooks.onEpoch);
  scaleValueHead(model, shrinkage.factor);
  hooks.lap(
    `correction strength cross-fitted on halves of the customers: ${shrinkage.factor} (out-of-fold deviance ${shrinkage.deviance.map((d) => d.toFixed(4)).join(' ')})`,
  );
  const valueShift = anchorToPrior(model, atCutoff.x, atCutoff.norm, atCutoff.prior, atCutoff.horizonDays);
  hooks.lap('value head anchored to the prior total');
  hooks.log(
    `  window levels (log, learned, not served): ${fit.windowLevels.map((l) => l.toFixed(3)).join(' ')}; ` +
      `horizon unit folded in at the longest window (log-horizon ${foldedAt.toFixed(3)} vs the served one); ` +
      `value bias shifted by ${valueShift.toFixed(3)} to keep the prior's total at the cutoff`,
  );
  return { model, fit, shrinkage, valueShift };
}
