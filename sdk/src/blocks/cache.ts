import { readJson, writeJson } from '../storage.js';

/**
 * The last scored segment, kept in localStorage so the next page can show the right variant synchronously,
 * before the ML chunk has even started downloading.
 */
export interface CachedScore {
  segment: string;
  /** Null for prospects, whom no model scores. */
  valueTier: string | null;
  model: string;
  at: number;
}

const KEY = 'shoal:score';

const isScore = (x: unknown): x is CachedScore =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as CachedScore).segment === 'string' &&
  typeof (x as CachedScore).model === 'string';

export const readCachedScore = (storage: Storage | undefined) => readJson(storage, KEY, isScore);
export const writeCachedScore = (storage: Storage | undefined, score: CachedScore) => writeJson(storage, KEY, score);
export const clearCachedScore = (storage: Storage | undefined) => writeJson(storage, KEY, null);
