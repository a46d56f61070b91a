/**
 * The shared-trunk MLP. Layer names are part of the contract: manifest.graph refers to the weights as
 * `<layer>/kernel` and `<layer>/bias`, and the browser's forward pass looks them up by those names.
 * The value and churn heads are linear: each corrects the BG/NBD prior's log expected purchases (see
 * losses.ts), which the browser adds back from the manifest's prior parameters.
 */
import * as tf from '@tensorflow/tfjs';

/** The trunk's layers, by name and width. */
export const TRUNK = [
  { name: 'trunk_0', units: 32 },
  { name: 'trunk_1', units: 16 },
] as const;

/**
 * @example const model = createModel(12, 4, 42); model.outputNames // ['segment', 'value', 'churn']
 */
export function createModel(inputDim: number, nSegments: number, seed: number): tf.LayersModel {
  // Each layer gets its own seed: one shared seed would start every layer from the same random pattern.
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  const input = tf.input({ shape: [inputDim], name: 'features' });
  let h = input;
  TRUNK.forEach(({ name, units }, i) => {
    h = tf.layers.dense({ units, activation: 'relu', name, kernelInitializer: init(i) }).apply(h) as tf.SymbolicTensor;
  });
  const head = (name: string, units: number, activation: 'softmax' | 'linear', i: number) =>
    // Zero-initialised corrections start the model exactly at the prior, so training only moves away from it.
    tf.layers
      .dense({ units, activation, name, kernelInitializer: i === 0 ? init(TRUNK.length) : 'zeros' })
      .apply(h) as tf.SymbolicTensor;
  // A fixed name: tfjs otherwise numbers models per process (model1, model2…), and model.json would drift.
  return tf.model({
    name: 'shoal',
    inputs: input,
    outputs: [head('segment', nSegments, 'softmax', 0), head('value', 1, 'linear', 1), head('churn', 1, 'linear', 2)],
  });
}
