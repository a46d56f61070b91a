/**
 * Standardises a feature vector with the statistics stored in the manifest. A feature the training data
 * never varied (std ≈ 0) carries no learned meaning, so it maps to 0 instead of exploding.
 */
export interface Normalisation {
  mean: readonly number[];
  std: readonly number[];
}

export const MIN_STD = 1e-6;

export function normalise(row: readonly number[], { mean, std }: Normalisation): number[] {
  return row.map((x, i) => {
    const s = std[i] ?? 0;
    return s < MIN_STD ? 0 : (x - (mean[i] ?? 0)) / s;
  });
}
