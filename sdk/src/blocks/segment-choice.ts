/**
 * Which segment to show after a new prediction. A shopper near a boundary would otherwise flap between two
 * segments (and two variants) as every event nudges the probabilities: the current segment is kept until
 * another one is ahead of it by `margin`.
 * @example chooseSegment('loyal', { loyal: 0.45, champions: 0.5 }, 0.1) // 'loyal'
 */
export const SWITCH_MARGIN = 0.1;

export function chooseSegment(
  current: string | null,
  probs: Readonly<Record<string, number>>,
  margin = SWITCH_MARGIN,
): string {
  const [best] = Object.entries(probs).sort((a, b) => b[1] - a[1])[0] ?? [''];
  if (current === null || current === best || !(current in probs)) return best;
  return probs[best]! >= probs[current]! + margin ? best : current;
}

/** A merchandiser's preview: `?shoal_segment=<name>` or the dashboard's `shoal_segment` cookie. */
export function previewSegment(search: string, cookie: string): string | null {
  const fromQuery = new URLSearchParams(search).get('shoal_segment');
  const fromCookie = /(?:^|;\s*)shoal_segment=([^;]+)/.exec(cookie)?.[1];
  const name = fromQuery ?? (fromCookie ? decodeURIComponent(fromCookie) : null);
  return name && /^[a-z][a-z0-9_-]{0,31}$/.test(name) ? name : null;
}
