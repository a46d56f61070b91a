import * as tf from '@tensorflow/tfjs-core';
import './backends/cpu.js';
import { setWasmPaths } from './backends/wasm.js';
import { withTimeout } from '../timeout.js';

export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendChoice {
  backend: BackendName;
  /** Why this one: what was skipped, what failed, what each candidate measured. */
  reason: string;
  /** Median milliseconds per one-row prediction, per backend measured. */
  timings: Partial<Record<BackendName, number>>;
}

const STEP_TIMEOUT_MS = 5000;
/** A hardware GPU backend that scores one row within this is kept even if WASM is a little faster. */
const GPU_KEEPS_UP_MS = 2;

// GPU backends are separate chunks: a page without a usable GPU never downloads them.
const load: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => import('./backends/webgpu.js'),
  webgl: () => import('./backends/webgl.js'),
  wasm: async () => undefined,
  cpu: async () => undefined,
};

const step = <T>(p: Promise<T>, what: string) => withTimeout(p, STEP_TIMEOUT_MS, what);

/** Why a GPU backend is not worth trying here, or null when it is. Software GPUs lose to WASM on one row. */
async function gpuUnusable(name: 'webgpu' | 'webgl'): Promise<string | null> {
  if (name === 'webgpu') {
    type Adapter = { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } } | null;
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter> } }).gpu;
    if (!gpu) return 'no navigator.gpu';
    const adapter = await step(gpu.requestAdapter(), 'requestAdapter');
    if (!adapter) return 'no adapter';
    return (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) ? 'software adapter (isFallbackAdapter)' : null;
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  return /swiftshader|llvmpipe|software|basic render/i.test(renderer) ? `software renderer (${renderer})` : null;
}

async function median(run: () => Promise<void>, n = 7): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

/** The last choice, reused for a week so later pages skip the measuring (and its backend warm-ups). */
const CHOICE_KEY = 'shoal:backend';
const CHOICE_TTL_MS = 7 * 86_400_000;

function remembered(order: readonly BackendName[]): BackendChoice | null {
  try {
    const c = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as (BackendChoice & { at: number; order: string }) | null;
    return c && c.order === order.join() && Date.now() - c.at < CHOICE_TTL_MS && order.includes(c.backend) ? c : null;
  } catch {
    return null;
  }
}

function remember(order: readonly BackendName[], choice: BackendChoice): void {
  try {
    localStorage.setItem(CHOICE_KEY, JSON.stringify({ ...choice, order: order.join(), at: Date.now() }));
  } catch {
    // Without storage every page measures again.
  }
}

/**
 * Uses the backend chosen on an earlier page when it still initialises, else chooses afresh.
 * @example await pickBackend({ order: BACKEND_ORDER, wasmPath: '/', measure })
 */
export async function pickBackend(opts: Parameters<typeof chooseBackend>[0]): Promise<BackendChoice> {
  setWasmPaths(opts.wasmPath);
  const last = opts.allowSoftwareGpu ? null : remembered(opts.order);
  if (last) {
    try {
      await step(load[last.backend](), `loading ${last.backend}`);
      if (await step(tf.setBackend(last.backend), `initialising ${last.backend}`)) return { ...last, reason: `${last.reason} (remembered)` };
    } catch {
      // The remembered backend broke (driver update, policy): measure again below.
    }
  }
  const choice = await chooseBackend(opts);
  if (!opts.allowSoftwareGpu) remember(opts.order, choice);
  return choice;
}

/**
 * Chooses the backend by measurement, not by name: every candidate that initialises and computes a known
 * answer is timed on `measure` (one real prediction); a hardware GPU that keeps up wins, else the fastest.
 * @example await chooseBackend({ order: BACKEND_ORDER, wasmPath: '/ml/', measure: () => predictOnce() })
 */
export async function chooseBackend(opts: { order: readonly BackendName[]; wasmPath: string; measure: () => Promise<void>; allowSoftwareGpu?: boolean }): Promise<BackendChoice> {
  const timings: BackendChoice['timings'] = {};
  const notes: string[] = [];
  for (const name of opts.order) {
    try {
      if (name === 'webgpu' || name === 'webgl') {
        const why = await gpuUnusable(name);
        if (why && !(opts.allowSoftwareGpu && why.startsWith('software'))) {
          notes.push(`${name} skipped: ${why}`);
          continue;
        }
      }
      await step(load[name](), `loading ${name}`);
      if (!(await step(tf.setBackend(name), `initialising ${name}`))) throw new Error('did not initialise');
      const probe = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
      const [answer] = await probe.data();
      probe.dispose();
      if (answer !== 11) throw new Error(`probe gave ${answer}`);
      timings[name] = await step(median(opts.measure), `measuring ${name}`);
      if ((name === 'webgpu' || name === 'webgl') && timings[name]! <= GPU_KEEPS_UP_MS) break;
    } catch (e) {
      notes.push(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const measured = Object.entries(timings) as [BackendName, number][];
  if (measured.length === 0) throw new Error(`no tfjs backend works (${notes.join('; ')})`);
  const gpu = measured.find(([n, ms]) => (n === 'webgpu' || n === 'webgl') && ms <= GPU_KEEPS_UP_MS);
  const [backend] = gpu ?? measured.sort((a, b) => a[1] - b[1])[0]!;
  await tf.setBackend(backend);
  const summary = measured.map(([n, ms]) => `${n} ${ms.toFixed(2)} ms/row`).join(', ');
  return { backend, timings, reason: [...notes, `measured ${summary}`, `chose ${backend}${gpu ? ' (hardware GPU keeps up)' : ' (fastest)'}`].join('; ') };
}
