import { BACKEND_ORDER, chooseBackend, type BackendName } from './backend.js';
import { fetchCurrentModel } from './load.js';
import { decodeModel, predict, type Prediction } from './predict.js';

/** The lazily loaded ML chunk's whole surface: the core SDK only ever talks to a `Scorer`. */
export interface Scorer {
  backend: BackendName;
  model: string;
  score(features: number[]): Promise<Prediction>;
}

export interface ScorerOptions {
  edgeUrl: string;
  /** Where tfjs-backend-wasm's .wasm files are served (the SDK's own folder). */
  wasmPath: string;
  backends?: readonly BackendName[];
}

/**
 * Chooses a backend, loads and verifies the edge's current model, and returns a scorer for it.
 * @example const scorer = await createScorer({ edgeUrl: 'http://127.0.0.1:8787/', wasmPath: '/sdk/' });
 */
export async function createScorer({ edgeUrl, wasmPath, backends = BACKEND_ORDER }: ScorerOptions): Promise<Scorer> {
  // Download while the backend initialises; decode only after, so the weights live on the chosen backend.
  const [backend, fetched] = await Promise.all([chooseBackend(backends, wasmPath), fetchCurrentModel(edgeUrl)]);
  const model = decodeModel(fetched.manifest, fetched.weights);
  return {
    backend,
    model: model.manifest.version,
    async score(features) {
      const [prediction] = await predict(model, [features]);
      return prediction!;
    },
  };
}

export type { Prediction, BackendName };
