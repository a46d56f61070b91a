/**
 * Standardises a feature vector with the statistics stored in the manifest. Trainer and SDK both call this,
 * so whatever it does to an input happens identically in training and in the browser.
 */
export interface Normalisation {
  mean: readonly number[];
  std: readonly number[];
  /** The range each feature spanned in training, in raw units. */
  min: readonly number[];
  max: readonly number[];
}

export const MIN_STD = 1e-6;

/**
 * Each input is first clamped to the range training saw. Browsers meet shoppers the training data never
 * held (a first visit has tenure 0, while a purchase log's newest customer is weeks old, many σ away):
 * unclamped, one such input saturates every head; clamped, the shopper reads as the nearest customer the model knows.
 * Training rows are unchanged by construction. A feature that never varied (std ≈ 0) maps to 0.
 * @example normalise([12], { mean: [10], std: [2], min: [0], max: [20] }) // [1]
 */
export function normalise(row: readonly number[], { mean, std, min, max }: Normalisation): number[] {
  return row.map((x, i) => {
    const s = std[i] ?? 0;
    if (s < MIN_STD) return 0;
    const clamped = Math.min(max[i] ?? Infinity, Math.max(min[i] ?? -Infinity, x));
    return (clamped - (mean[i] ?? 0)) / s;
  });
}
