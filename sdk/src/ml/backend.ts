import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';

export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/**
 * Picks the first backend in `order` that initialises and computes a known answer; a backend that
 * initialises but computes garbage (seen with broken drivers) is skipped too.
 * @example await chooseBackend(['webgpu', 'webgl', 'wasm', 'cpu'], '/sdk/') // → 'webgl'
 */
export async function chooseBackend(order: readonly BackendName[], wasmPath: string): Promise<BackendName> {
  setWasmPaths(wasmPath);
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (!(await tf.setBackend(name))) throw new Error('did not initialise');
      await tf.ready();
      const probe = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
      const [answer] = await probe.data();
      probe.dispose();
      if (answer !== 11) throw new Error(`probe gave ${answer}`);
      return name;
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no tfjs backend works (${failures.join('; ')})`);
}
