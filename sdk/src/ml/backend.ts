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

/** Runs `fn` with no prediction in flight: tfjs has one global backend, and an async init stalls every op. */
export type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

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

export { setWasmPaths };

/** Loads (GPU chunks) and initialises a backend, making it tfjs's active one; rejects when it cannot. */
export async function activate(name: BackendName): Promise<void> {
  await step(load[name](), `loading ${name}`);
  if (!(await step(tf.setBackend(name), `initialising ${name}`))) throw new Error(`${name} did not initialise`);
}

/** Why a GPU backend is not worth trying here, or null when it is. Software GPUs lose to WASM on one row. */
async function gpuUnusable(name: 'webgpu' | 'webgl'): Promise<string | null> {
  if (name === 'webgpu') {
    type Adapter = { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } } | null;
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter> } }).gpu;
    if (!gpu) return 'no navigator.gpu';
    const adapter = await step(gpu.requestAdapter(), 'requestAdapter');
    if (!adapter) return 'no adapter';
    return (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter)
      ? 'software adapter (isFallbackAdapter)'
      : null;
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|basic render/i.test(renderer) ? `software renderer (${renderer})` : null;
}

/**
 * Milliseconds per call of `run`, the median of 5 samples after one warm-up. Browsers coarsen
 * performance.now() (100 µs here), so each sample repeats `run` for at least 2 ms and divides.
 */
export async function msPerCall(run: () => Promise<void>, samples = 5): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    let n = 0;
    do {
      await run();
      n++;
    } while (performance.now() - t < 2 && n < 64);
    times.push((performance.now() - t) / n);
  }
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
}

/** The last choice, per model version and browser, reused for a week so later pages skip the measuring. */
const CHOICE_KEY = 'shoal:backend';
const CHOICE_TTL_MS = 7 * 86_400_000;
type Remembered = BackendChoice & { at: number; key: string };

const choiceKey = (order: readonly BackendName[], model: string) => `${order.join()}|${model}|${navigator.userAgent}`;

/**
 * The backend measured on an earlier page for this model, backend order and user agent, or null (none, a
 * week old, or another model or browser: then the page measures again, off the critical path).
 */
export function rememberedChoice(order: readonly BackendName[], model: string): BackendChoice | null {
  try {
    const c = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as Remembered | null;
    if (!c || c.key !== choiceKey(order, model) || !(Date.now() - c.at < CHOICE_TTL_MS) || !order.includes(c.backend))
      return null;
    return { backend: c.backend, reason: c.reason, timings: c.timings };
  } catch {
    return null;
  }
}

export function rememberChoice(order: readonly BackendName[], model: string, choice: BackendChoice): void {
  try {
    localStorage.setItem(
      CHOICE_KEY,
      JSON.stringify({ ...choice, key: choiceKey(order, model), at: Date.now() } satisfies Remembered),
    );
  } catch {
    // Without storage every page measures again.
  }
}

/** Forgets the remembered choice (it failed here): the next choice measures afresh. */
export function forgetChoice(): void {
  try {
    localStorage.removeItem(CHOICE_KEY);
  } catch {
    // Nothing remembered, nothing to forget.
  }
}

/**
 * Chooses the backend by measurement, not by name: every candidate that initialises and computes a known
 * answer is timed by `measure` (ms per one-row prediction on the active backend); a hardware GPU that keeps
 * up wins, else the fastest. Each candidate runs inside `exclusive` and `restore` is made active again
 * after it, so predictions on the backend in force can interleave with the measuring.
 * @example await chooseBackend({ order: BACKEND_ORDER, restore: 'cpu', exclusive, measure: () => msPerCall(predictOnce) })
 */
export async function chooseBackend(opts: {
  order: readonly BackendName[];
  measure: () => Promise<number>;
  exclusive: Exclusive;
  restore: BackendName | null;
  allowSoftwareGpu?: boolean;
}): Promise<BackendChoice> {
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
      timings[name] = await opts.exclusive(async () => {
        try {
          await activate(name);
          const probe = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
          const [answer] = await probe.data();
          probe.dispose();
          if (answer !== 11) throw new Error(`probe gave ${answer}`);
          return await step(opts.measure(), `measuring ${name}`);
        } finally {
          if (opts.restore) await tf.setBackend(opts.restore);
        }
      });
      if ((name === 'webgpu' || name === 'webgl') && timings[name]! <= GPU_KEEPS_UP_MS) break;
    } catch (e) {
      notes.push(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const measured = Object.entries(timings) as [BackendName, number][];
  if (measured.length === 0) throw new Error(`no tfjs backend works (${notes.join('; ')})`);
  const gpu = measured.find(([n, ms]) => (n === 'webgpu' || n === 'webgl') && ms <= GPU_KEEPS_UP_MS);
  const [backend] = gpu ?? measured.sort((a, b) => a[1] - b[1])[0]!;
  const summary = measured.map(([n, ms]) => `${n} ${ms.toFixed(3)} ms/row`).join(', ');
  return {
    backend,
    timings,
    reason: [
      ...notes,
      `measured ${summary}`,
      `chose ${backend}${gpu ? ' (hardware GPU keeps up)' : ' (fastest)'}`,
    ].join('; '),
  };
}
