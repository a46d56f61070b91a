/**
 * A tiny seeded PRNG (mulberry32). Math.random cannot be seeded, and every random choice in the trainer
 * (k-means seeding, subsamples, batch order) must repeat exactly for the same --seed.
 */
export type Rng = () => number;

/**
 * Returns a generator of floats in [0, 1) fully determined by `seed`.
 * @example const rng = mulberry32(42); rng(); // 0.6011...
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded permutation of 0..n-1 (Fisher–Yates).
 * @example permutation(5, mulberry32(1)) // e.g. [3, 0, 4, 1, 2]
 */
export function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * Up to `k` distinct indices of 0..n-1, in ascending order so downstream loops stay stable.
 * @example sampleIndices(10_000, 2000, mulberry32(7)).length // 2000
 */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  return permutation(n, rng)
    .slice(0, Math.min(n, k))
    .sort((a, b) => a - b);
}
