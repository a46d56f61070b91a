import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { normalise } from '../../../sdk/src/features/index.js';
import { columnStats, mulberry32 } from '../math/index.js';
import type { TrainingSet } from './fit.js';

/**
 * A small seeded synthetic frame for model tests: raw feature rows on CDNOW-like scales, with targets that
 * depend on the features so a couple of epochs move the weights somewhere non-trivial.
 * @example const { raw, set, norm } = syntheticSet(300, 1);
 */
export function syntheticSet(n: number, seed: number) {
  const rng = mulberry32(seed);
  const raw = Array.from({ length: n }, () => FEATURE_NAMES.map((_, j) => (j === 10 ? 1 : rng() * 5)));
  const norm = columnStats(raw);
  const set: TrainingSet = {
    x: raw.map((r) => normalise(r, norm)),
    segment: raw.map((r) => (r[0]! < 1.7 ? 0 : r[1]! < 2.5 ? 1 : 2)),
    purchases: raw.map((r) => Math.max(0, Math.round(r[2]! - r[0]!))),
    churn: raw.map((r) => (r[2]! - r[0]! < 0.5 ? 1 : 0)),
    offset: raw.map((r) => Math.log(0.2 + r[1]! / 5)),
  };
  return { raw, norm, set };
}
