/**
 * Stage: the model. The structural prior (BG/NBD + Gamma-Gamma by maximum likelihood), the training rows of the
 * internal windows, the shared-trunk MLP and its training loop, the cross-fitted strength of its correction, the
 * value head's calibration, and scoring exactly as the browser does.
 */
export { useWasm } from './backend.js';
export { type Prior, fitPrior, priorFor, logPriorFor } from './prior.js';
export { fitBgnbd, fitGammaGamma } from './clv-fit.js';
export { type InternalWindows, type LevelBacktest, internalWindows, inputNormalisation } from './training-set.js';
export { TRUNK, createModel } from './network.js';
export { type EpochHook, type FitResult, type TrainingSet, fitModel, labelled } from './fit.js';
export { logPrior } from './losses.js';
export { SHRINK_GRID, type Shrinkage, crossFitShrinkage } from './shrink.js';
export { anchorToPrior, foldHorizonSlope, scaleValueHead } from './value-head.js';
export { type Served, fitServed } from './served.js';
export { type Scores, score, tierOf, valueTiers } from './score.js';
