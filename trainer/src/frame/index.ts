/**
 * Stage 2: frames the histories at a moment, a row per customer: the features a browser would compute then,
 * the BG/NBD summary, and what happened in the window after. Also where time is split (holdout, internal cutoffs).
 */
export { type Frame, WEEK_MS, buildFrame, featuresAt, withTargets } from './frame.js';
export { type Split, internalCutoffs, resolveSplit, subsample, truncate } from './split.js';
