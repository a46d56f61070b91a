/**
 * The lazy ML chunk (an ES module the core imports on demand): tfjs-core with only the kernels the MLP
 * uses, the WASM and CPU backends, and the GPU backends as further chunks fetched only when usable.
 */
export { createScorer } from './runtime.js';
export { toggleOverlay } from './overlay.js';
export type { Scorer, ScorerOptions, Prediction, BackendName } from './runtime.js';
