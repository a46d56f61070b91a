/**
 * The last scored segment, kept in localStorage so the next page can show the right variant synchronously,
 * before the ML chunk has even started downloading.
 */
export interface CachedScore {
  segment: string;
  valueTier: string;
  model: string;
  at: number;
}

const KEY = 'shoal:score';

export function readCachedScore(storage: Storage | undefined): CachedScore | null {
  try {
    const raw = storage?.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<CachedScore>) : null;
    return parsed && typeof parsed.segment === 'string' && typeof parsed.model === 'string' ? (parsed as CachedScore) : null;
  } catch {
    return null;
  }
}

export function writeCachedScore(storage: Storage | undefined, score: CachedScore): void {
  try {
    storage?.setItem(KEY, JSON.stringify(score));
  } catch {
    // Storage full or disabled: the cache is an optimisation, scoring still works.
  }
}

export function clearCachedScore(storage: Storage | undefined): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // Nothing cached to clear.
  }
}
