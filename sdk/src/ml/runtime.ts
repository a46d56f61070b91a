import * as tf from '@tensorflow/tfjs-core';
import {
  activate,
  BACKEND_ORDER,
  chooseBackend,
  forgetChoice,
  msPerCall,
  rememberChoice,
  rememberedChoice,
  setWasmPaths,
  type BackendName,
  type Exclusive,
} from './backend.js';
import type { Explanation } from './explain.js';
import { lastGoodModel, loadModel, type LoadedModel, type VerifiedModel } from './load.js';
import { decodeModel, ModelError, predict, type Prediction, type RunnableModel } from './predict.js';

/** The lazily loaded ML chunk's whole surface: the core SDK only ever talks to a `Scorer`. */
export interface Scorer {
  /** The backend predictions run on now (CPU until the measured choice is in force). */
  readonly backend: BackendName;
  /** Why that backend (skips, failures, per-backend timings). */
  readonly backendReason: string;
  readonly model: string;
  /** Segment names in the order of the model's softmax. */
  readonly segments: string[];
  /** Why the edge's current model was refused (the last good one runs instead), or null. */
  readonly modelRefused: string | null;
  /**
   * Settles once the edge's current model is confirmed; true when it replaced the model this scorer
   * started with (a page may start on the last good model from cache, then switch).
   */
  revalidated: Promise<boolean>;
  /** Settles once the measured (or remembered) backend is in force; never rejects. */
  settled: Promise<void>;
  score(features: number[]): Promise<Prediction>;
  /** Scores many rows in one batch (e.g. one per candidate product); where a GPU backend wins. */
  scoreMany(rows: number[][]): Promise<Prediction[]>;
  /** The features that most moved this prediction's segment probability and its intent (occlusion). */
  explain(features: number[], top?: number): Promise<Explanation[]>;
}

export interface ScorerOptions {
  edgeUrl: string;
  /** Where tfjs-backend-wasm's .wasm files are served (the SDK's own folder). */
  wasmPath: string;
  backends?: readonly BackendName[];
  /** Also try GPU backends that run in software (benchmarks, diagnosis); they lose to WASM on one row. */
  allowSoftwareGpu?: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const disposeModel = (m: RunnableModel) => {
  for (const t of Object.values(m.weights)) t.dispose();
};
/** Measuring probes GPUs and times every backend: work for an idle moment, after the first score. */
const idle = () =>
  new Promise<void>((resolve) =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(() => resolve(), { timeout: 2000 })
      : setTimeout(resolve, 50),
  );

/**
 * Loads and verifies the model and returns a scorer at once on the CPU backend, which needs no download or
 * compile and scores one row of this MLP in a fraction of a millisecond; the measured backend (remembered
 * from an earlier page, else measured when the page is idle) takes over when ready. Tensors live inside
 * `predict`'s tidy scope, and a replaced model's weights are disposed, so scoring does not grow memory.
 * @example const scorer = await createScorer({ edgeUrl: 'http://127.0.0.1:8787/', wasmPath: '/ml/' });
 */
export async function createScorer({
  edgeUrl,
  wasmPath,
  backends = BACKEND_ORDER,
  allowSoftwareGpu = false,
}: ScorerOptions): Promise<Scorer> {
  setWasmPaths(wasmPath);
  // Stale-while-revalidate: start on the cached last good model when there is one, confirm in the background.
  const fresh: Promise<LoadedModel> = loadModel(edgeUrl);
  fresh.catch(() => undefined); // handled below, by `revalidated` or by awaiting it
  const cached = await lastGoodModel(edgeUrl);
  performance.mark(cached ? 'shoal:ml-model-cached' : 'shoal:ml-model-missing');
  const first: LoadedModel = cached ? { model: cached, refused: null } : await fresh;
  let verified: VerifiedModel = first.model;
  let refused = first.refused;

  // One queue for everything that touches tfjs: predictions, backend switches, measurements.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive: Exclusive = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  let backend: BackendName | null = null;
  let reason = '';
  let model: RunnableModel | null = null;
  /** Makes `name` active and moves the model onto it (inside `exclusive`). */
  const switchTo = async (name: BackendName) => {
    try {
      await activate(name);
    } catch (e) {
      // The model's weights stay on the backend in force; make it the active one again.
      if (backend) await tf.setBackend(backend);
      throw e;
    }
    const next = decodeModel(verified.manifest, verified.weights);
    if (model) disposeModel(model);
    [model, backend] = [next, name];
  };
  const measure = async () => {
    const m = decodeModel(verified.manifest, verified.weights);
    const row = verified.manifest.normalisation.mean.slice();
    try {
      return await msPerCall(async () => void (await predict(m, [row])));
    } finally {
      disposeModel(m);
    }
  };
  const version = () => verified.manifest.version;
  const settle = async () => {
    let failed = '';
    // Scoring on CPU already? Then the first score goes first, and the switch or measuring waits for idle.
    if (backend) await idle();
    const last = allowSoftwareGpu ? null : rememberedChoice(backends, version());
    if (last) {
      try {
        if (last.backend !== backend) await exclusive(() => switchTo(last.backend));
        reason = `${last.reason} (remembered)`;
        return;
      } catch (e) {
        forgetChoice();
        failed = `remembered ${last.backend} failed: ${message(e)}; `;
      }
    }
    const choice = await chooseBackend({ order: backends, measure, exclusive, restore: backend, allowSoftwareGpu });
    if (!allowSoftwareGpu) rememberChoice(backends, version(), choice);
    if (choice.backend !== backend) await exclusive(() => switchTo(choice.backend));
    reason = failed + choice.reason;
  };

  let settled: Promise<void>;
  if (backends.includes('cpu')) {
    await exclusive(() => switchTo('cpu'));
    reason = 'cpu for the first scores while the backend is chosen';
    settled = settle().catch((e: unknown) => {
      reason = `${reason}; staying on cpu: ${message(e)}`;
    });
  } else {
    // No CPU to start on: choose before the first score, as before.
    await settle();
    settled = Promise.resolve();
  }
  performance.mark('shoal:ml-backend');
  settled = settled.then(() => void performance.mark('shoal:ml-backend-settled'));

  const revalidated = fresh.then(
    (latest) => {
      refused = latest.refused;
      if (latest.model.manifest.version === verified.manifest.version) return false;
      return exclusive(async () => {
        const next = decodeModel(latest.model.manifest, latest.model.weights);
        if (model) disposeModel(model);
        [verified, model] = [latest.model, next];
        return true;
      });
    },
    (e: unknown) => {
      refused = message(e);
      return false;
    },
  );
  /** Predicts in the queue; a backend that fails here is forgotten and CPU takes over (re-measured next page). */
  const run = (rows: number[][]) =>
    exclusive(async () => {
      try {
        return await predict(model!, rows);
      } catch (e) {
        // A row the model cannot take is the caller's error, not the backend's.
        if (e instanceof ModelError || backend === 'cpu' || !backends.includes('cpu')) throw e;
        forgetChoice();
        reason = `${backend} failed while scoring (${message(e)}); back to cpu`;
        await switchTo('cpu');
        return predict(model!, rows);
      }
    });
  return {
    get backend() {
      return backend!;
    },
    get backendReason() {
      return reason;
    },
    get model() {
      return verified.manifest.version;
    },
    get segments() {
      return verified.manifest.segments.map((s) => s.name);
    },
    get modelRefused() {
      return refused;
    },
    revalidated,
    settled,
    async score(features) {
      const [prediction] = await run([features]);
      return prediction!;
    },
    scoreMany: (rows) => run(rows),
    async explain(features, top = 5) {
      // A chunk of its own, fetched by debug() only: every page loads this one.
      const probe = (await import('./explain.js')).occlusion(verified.manifest, features);
      return probe.read(await run(probe.rows), top);
    },
  };
}

export type { Prediction, BackendName, Explanation };
