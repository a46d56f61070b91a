/**
 * Dates as transaction logs write them: YYYYMMDD, YYYY-MM-DD, optionally followed by a time
 * ("2010-12-01 08:26:00", ISO "…T08:26:00Z" or "…T08:26:00+02:00"). Only the day matters downstream
 * (purchase-days), and days are read as UTC so no machine's time zone can move a purchase across midnight. A
 * written offset is ignored: the day as written is the shop's own day, which converting to UTC could move.
 */
const DAY = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * UTC ms of the date and time, or null when it is not a real date (e.g. 1997-02-30).
 * @example parseDate('19970101') // Date.UTC(1997, 0, 1)
 */
export function parseDate(text: string): number | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const ts = Date.UTC(y!, mo! - 1, d!, h, mi, s);
  const back = new Date(ts);
  const valid =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo! - 1 &&
    back.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60;
  return valid ? ts : null;
}

/** A CLI date (YYYY-MM-DD) as the UTC day start, or a thrown error naming the option. */
export function parseCliDay(option: string, text: string): number {
  const ts = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : null;
  if (ts === null) throw new Error(`--${option} '${text}' is not a YYYY-MM-DD date`);
  return ts;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
