import { BACKEND_ORDER, pickBackend, type BackendName } from './backend.js';
import { lastGoodModel, loadModel, type LoadedModel, type VerifiedModel } from './load.js';
import { decodeModel, predict, type Prediction, type RunnableModel } from './predict.js';

/** The lazily loaded ML chunk's whole surface: the core SDK only ever talks to a `Scorer`. */
export interface Scorer {
  backend: BackendName;
  /** Why that backend (skips, failures, per-backend timings). */
  backendReason: string;
  model: string;
  /** Segment names in the order of the model's softmax. */
  segments: string[];
  /** Why the edge's current model was refused (the last good one runs instead), or null. */
  modelRefused: string | null;
  /**
   * Settles once the edge's current model is confirmed; true when it replaced the model this scorer
   * started with (a page may start on the last good model from cache, then switch).
   */
  revalidated: Promise<boolean>;
  score(features: number[]): Promise<Prediction>;
  /** Scores many rows in one batch (e.g. one per candidate product); where a GPU backend wins. */
  scoreMany(rows: number[][]): Promise<Prediction[]>;
  /** The features that most moved this prediction's segment probability (occlusion), largest first. */
  explain(features: number[], top?: number): Promise<Explanation[]>;
}

export interface Explanation {
  feature: string;
  /** Change in the predicted segment's probability when this feature is replaced by its training mean. */
  impact: number;
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
 * Loads and verifies the model, chooses a backend by timing that model on each candidate, and returns a
 * scorer. Tensors live inside `predict`'s tidy scope, so scoring does not grow memory.
 * @example const scorer = await createScorer({ edgeUrl: 'http://127.0.0.1:8787/', wasmPath: '/ml/' });
 */
export async function createScorer({ edgeUrl, wasmPath, backends = BACKEND_ORDER, allowSoftwareGpu = false }: ScorerOptions): Promise<Scorer> {
  // Stale-while-revalidate: start on the cached last good model when there is one, confirm in the background.
  const cached = await lastGoodModel(edgeUrl);
  const fresh: Promise<LoadedModel> = loadModel(edgeUrl);
  const first: LoadedModel = cached ? { model: cached, refused: null } : await fresh;
  let verified: VerifiedModel = first.model;
  const probeRow = verified.manifest.normalisation.mean.slice();
  const choice = await pickBackend({
    order: backends,
    wasmPath,
    allowSoftwareGpu,
    measure: async () => {
      const m = decodeModel(verified.manifest, verified.weights);
      try {
        await predict(m, [probeRow]);
      } finally {
        Object.values(m.weights).forEach((t) => t.dispose());
      }
    },
  });
  // Decoded once more, now on the chosen backend, so no prediction pays for moving weights between backends.
  let model: RunnableModel = decodeModel(verified.manifest, verified.weights);
  let refused = first.refused;
  const revalidated = fresh.then(
    (latest) => {
      refused = latest.refused;
      if (latest.model.manifest.version === verified.manifest.version) return false;
      const next = decodeModel(latest.model.manifest, latest.model.weights);
      Object.values(model.weights).forEach((t) => t.dispose());
      [verified, model] = [latest.model, next];
      return true;
    },
    (e: unknown) => {
      refused = e instanceof Error ? e.message : String(e);
      return false;
    },
  );
  return {
    backend: choice.backend,
    backendReason: choice.reason,
    get model() { return verified.manifest.version; },
    get segments() { return verified.manifest.segments.map((s) => s.name); },
    get modelRefused() { return refused; },
    revalidated,
    async score(features) {
      const [prediction] = await predict(model, [features]);
      return prediction!;
    },
    scoreMany: (rows) => predict(model, rows),
    async explain(features, top = 5) {
      // One batched prediction: the row itself, then one row per feature with that feature at its mean.
      const { names } = verified.manifest.featureSpec;
      const { mean, std } = verified.manifest.normalisation;
      const used = names.map((_, i) => i).filter((i) => (std[i] ?? 0) > 1e-6);
      const rows = [features, ...used.map((i) => features.map((x, j) => (j === i ? mean[i]! : x)))];
      const [base, ...occluded] = await predict(model, rows);
      const k = base!.segmentId;
      return used
        .map((i, r) => ({ feature: names[i]!, impact: base!.segmentProbs[k]! - occluded[r]!.segmentProbs[k]! }))
        .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact))
        .slice(0, top);
    },
  };
}

export type { Prediction, BackendName };
