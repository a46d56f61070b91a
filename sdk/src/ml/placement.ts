import * as tf from '@tensorflow/tfjs-core';
import {
  activate,
  chooseBackend,
  forgetChoice,
  msPerCall,
  rememberChoice,
  rememberedChoice,
  type BackendName,
  type Exclusive,
} from './backend.js';
import type { VerifiedModel } from './load.js';
import { decodeModel, ModelError, predict, type Prediction, type RunnableModel } from './predict.js';

/**
 * Where the model runs: the active tfjs backend, the model's weights decoded on it, and the one queue through
 * which everything touching tfjs goes (predictions, backend switches, measurements), since tfjs has one
 * global backend and an async initialisation stalls every op.
 */
export interface Placement {
  readonly backend: BackendName | null;
  /** Why that backend (skips, failures, per-backend timings). */
  reason: string;
  readonly verified: VerifiedModel;
  readonly exclusive: Exclusive;
  /**
   * Makes `name` active and moves the model onto it (call inside `exclusive`); refused, with the backend in
   * force kept, when the model does not predict finite numbers there.
   */
  switchTo(name: BackendName): Promise<void>;
  /**
   * Puts `next` in force on the active backend, disposing the weights it replaces (inside `exclusive`);
   * refused, with the model in force kept, when `next` does not predict finite numbers.
   */
  replace(next: VerifiedModel): Promise<void>;
  /** Milliseconds per one-row prediction on the active backend, with a copy of the model's weights. */
  measure(): Promise<number>;
  /**
   * Predicts in the queue. A backend that fails here is forgotten and CPU takes over (re-measured next page)
   * when `cpuAllowed`; a row the model cannot take is the caller's error, not the backend's.
   */
  run(rows: number[][], cpuAllowed: boolean): Promise<Prediction[]>;
}

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const disposeModel = (m: RunnableModel) => {
  for (const t of Object.values(m.weights)) t.dispose();
};

/**
 * Decodes `model` on the active backend and predicts the training mean with it: a model (or a backend) that
 * gives anything but finite numbers is refused before it scores anyone. Throws why.
 */
async function decodeChecked({ manifest, weights }: VerifiedModel): Promise<RunnableModel> {
  let model: RunnableModel | undefined;
  try {
    model = decodeModel(manifest, weights);
    const [p] = await predict(model, [manifest.normalisation.mean.slice()]);
    if (![...p!.segmentProbs, p!.value, p!.churn].every(Number.isFinite))
      throw new Error('it predicts non-finite numbers');
    return model;
  } catch (e) {
    if (model) disposeModel(model);
    throw new Error(`model ${manifest.version} refused: ${message(e)}`);
  }
}

function createExclusive(): Exclusive {
  let queue: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
}

export function createPlacement(first: VerifiedModel): Placement {
  let backend: BackendName | null = null;
  let model: RunnableModel | null = null;
  let verified = first;
  const placement: Placement = {
    get backend() {
      return backend;
    },
    reason: '',
    get verified() {
      return verified;
    },
    exclusive: createExclusive(),
    async switchTo(name) {
      let next: RunnableModel;
      try {
        await activate(name);
        next = await decodeChecked(verified);
      } catch (e) {
        // The model's weights stay on the backend in force; make it the active one again.
        if (backend) await tf.setBackend(backend);
        throw e;
      }
      if (model) disposeModel(model);
      [model, backend] = [next, name];
    },
    async replace(next) {
      const decoded = await decodeChecked(next);
      if (model) disposeModel(model);
      [verified, model] = [next, decoded];
    },
    async measure() {
      const m = decodeModel(verified.manifest, verified.weights);
      const row = verified.manifest.normalisation.mean.slice();
      try {
        return await msPerCall(async () => void (await predict(m, [row])));
      } finally {
        disposeModel(m);
      }
    },
    run: (rows, cpuAllowed) =>
      placement.exclusive(async () => {
        try {
          return await predict(model!, rows);
        } catch (e) {
          if (e instanceof ModelError || backend === 'cpu' || !cpuAllowed) throw e;
          forgetChoice();
          placement.reason = `${backend} failed while scoring (${message(e)}); back to cpu`;
          await placement.switchTo('cpu');
          return predict(model!, rows);
        }
      }),
  };
  return placement;
}

/** Measuring probes GPUs and times every backend: work for an idle moment, after the first score. */
const idle = () =>
  new Promise<void>((resolve) =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(() => resolve(), { timeout: 2000 })
      : setTimeout(resolve, 50),
  );

/**
 * Puts the model on the backend remembered from an earlier page for this model, else on the one measured
 * fastest now (then remembered). When a backend is already in force, this waits for an idle moment first.
 */
export async function settleBackend(
  placement: Placement,
  { backends, allowSoftwareGpu }: { backends: readonly BackendName[]; allowSoftwareGpu: boolean },
): Promise<void> {
  const { exclusive, switchTo, measure } = placement;
  // The model may change meanwhile (revalidation): the choice is remembered for the one in force.
  const version = () => placement.verified.manifest.version;
  let failed = '';
  if (placement.backend) await idle();
  const last = allowSoftwareGpu ? null : rememberedChoice(backends, version());
  if (last) {
    try {
      if (last.backend !== placement.backend) await exclusive(() => switchTo(last.backend));
      placement.reason = `${last.reason} (remembered)`;
      return;
    } catch (e) {
      forgetChoice();
      failed = `remembered ${last.backend} failed: ${message(e)}; `;
    }
  }
  const restore = placement.backend;
  const choice = await chooseBackend({ order: backends, measure, exclusive, restore, allowSoftwareGpu });
  if (!allowSoftwareGpu) rememberChoice(backends, version(), choice);
  if (choice.backend !== placement.backend) await exclusive(() => switchTo(choice.backend));
  placement.reason = failed + choice.reason;
}
