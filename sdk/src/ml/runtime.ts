import { BACKEND_ORDER, setWasmPaths, type BackendName } from './backend.js';
import type { Explanation } from './explain.js';
import { fetchCurrentModel, lastGoodModel, rememberLastGood } from './load.js';
import { createPlacement, message, settleBackend, type Placement } from './placement.js';
import type { Prediction } from './predict.js';

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

/**
 * Scores on CPU at once when allowed (the choice of backend follows in idle time), else chooses first.
 * Resolves when the first score can run, with `settled`, which settles once the chosen backend is in force
 * (wrapped: an async function would otherwise wait for it).
 */
async function placeModel(
  placement: Placement,
  options: { backends: readonly BackendName[]; allowSoftwareGpu: boolean },
): Promise<{ settled: Promise<void> }> {
  let settled: Promise<void>;
  if (options.backends.includes('cpu')) {
    await placement.exclusive(() => placement.switchTo('cpu'));
    placement.reason = 'cpu for the first scores while the backend is chosen';
    settled = settleBackend(placement, options).catch((e: unknown) => {
      placement.reason = `${placement.reason}; staying on cpu: ${message(e)}`;
    });
  } else {
    // No CPU to start on: choose before the first score, as before.
    await settleBackend(placement, options);
    settled = Promise.resolve();
  }
  performance.mark('shoal:ml-backend');
  return { settled: settled.then(() => void performance.mark('shoal:ml-backend-settled')) };
}

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
  const fresh = fetchCurrentModel(edgeUrl);
  fresh.catch(() => undefined); // handled below, by `revalidated` or by awaiting it
  const cached = await lastGoodModel(edgeUrl);
  performance.mark(cached ? 'shoal:ml-model-cached' : 'shoal:ml-model-missing');
  // Placing the model decodes it and checks its prediction: only then is it the last good one.
  const placement = createPlacement(cached ?? (await fresh));
  const { settled } = await placeModel(placement, { backends, allowSoftwareGpu });
  if (!cached) rememberLastGood(placement.verified);
  let refused: string | null = null;
  const revalidated = fresh.then(
    async (latest) => {
      if (latest.manifest.version === placement.verified.manifest.version) return false;
      try {
        await placement.exclusive(() => placement.replace(latest));
      } catch (e) {
        refused = message(e);
        return false;
      }
      rememberLastGood(latest);
      return true;
    },
    (e: unknown) => {
      refused = message(e);
      return false;
    },
  );
  const run = (rows: number[][]) => placement.run(rows, backends.includes('cpu'));
  return {
    get backend() {
      return placement.backend!;
    },
    get backendReason() {
      return placement.reason;
    },
    get model() {
      return placement.verified.manifest.version;
    },
    get segments() {
      return placement.verified.manifest.segments.map((s) => s.name);
    },
    get modelRefused() {
      return refused;
    },
    revalidated,
    settled,
    score: async (features) => (await run([features]))[0]!,
    scoreMany: (rows) => run(rows),
    async explain(features, top = 5) {
      // A chunk of its own, fetched by debug() only: every page loads this one.
      const probe = (await import('./explain.js')).occlusion(placement.verified.manifest, features);
      return probe.read(await run(probe.rows), top);
    },
  };
}

export type { Prediction, BackendName, Explanation };
