/**
 * The lazy ML chunk (an ES module the core imports on demand): tfjs-core with only the kernels the MLP
 * uses, the WASM and CPU backends, and the GPU backends as further chunks fetched only when usable.
 */
export { createScorer } from './runtime.js';

/** The debug overlay, a chunk of its own: few pages ever show it, and every page loads this one. */
export const loadOverlay = async () => (await import('./overlay.js')).toggleOverlay;
export type { Scorer, ScorerOptions, Prediction, BackendName } from './runtime.js';
