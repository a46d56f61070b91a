/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of base·2ⁿ (capped), so many
 * browsers coming back online at once do not hit the edge in lockstep.
 * @example backoffMs(3, Math.random) // somewhere in 4 000..8 000
 */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

export function backoffMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}
