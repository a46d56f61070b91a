/**
 * What the browser build uses for `@tensorflow/tfjs-core` (rollup aliases it): the engine, ops and platform
 * without the optimizers and gradients that `index` registers. Only inference runs in the page, and every
 * kernel it needs is registered by the backend modules in ./backends/.
 */
import '@tensorflow/tfjs-core/dist/base_side_effects';

export * from '@tensorflow/tfjs-core/dist/base';
