import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Switches tfjs to the wasm backend: about 4× the pure-JS cpu backend in Node, and single-threaded (no
 * threads build is registered), which keeps the float operation order — and so the weights — repeatable.
 * @example await useWasm(); tf.getBackend() // 'wasm'
 */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await tf.ready();
}
