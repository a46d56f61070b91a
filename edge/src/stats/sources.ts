/**
 * How much any one network source (a keyed hash of a /24 or /48, see sync/network-source.ts) may weigh in
 * what the dashboard and the storefront read from many shoppers: the segment mix, the drift sample and the
 * recommendations. One client behind one network, however many anonymous ids it mints, is capped at a share
 * of the rest; a shop whose shoppers all share a network (or local development, where syncs carry no source)
 * is never capped below {@link SOURCE_FLOOR} shoppers.
 */

/** Most of a sample one network source may make up once it is over its floor. */
export const MAX_SOURCE_SHARE = 0.2;
/** Shoppers a source always counts in full, however few others there are: an office or a small shop. */
export const SOURCE_FLOOR = 10;

/**
 * SQL for a row's source: its network source, or, with none (loopback, or cleared after a week), a source of
 * its own. `alias` is the table alias of a `profiles` or `batch_ids` row, `shopper` the column naming its
 * shopper (a profile's anonymous id; a batch id's `shopper`, the profile's rowid).
 *
 * @example `SELECT ${sourceOf('p')} AS src FROM profiles p`
 */
export const sourceOf = (alias: string, shopper = `${alias}.anonymous_id`) =>
  `COALESCE(${alias}.net_source, 'own:' || ${shopper})`;

/**
 * The weight of each of a source's `n` shoppers in a sample of `total`: 1 while the source stays within its
 * allowance (the floor, or MAX_SOURCE_SHARE of the sample once the rest is counted), else allowance / n, so
 * the source as a whole weighs exactly its allowance.
 *
 * @example sourceWeight(300, 400) // 25 / 300: 300 from one network among 100 others count as 25
 */
export function sourceWeight(n: number, total: number): number {
  const allowance = Math.max(SOURCE_FLOOR, (MAX_SOURCE_SHARE / (1 - MAX_SOURCE_SHARE)) * (total - n));
  return n <= allowance ? 1 : allowance / n;
}

/**
 * Weights of the sources that need one (the rest weigh 1), from per-source counts in samples of `total`,
 * keyed for the SQL readers to join on (`json_each(?)`, key = source) once stringified.
 *
 * @example capWeights([{ key: 'x', n: 300, total: 400 }]) // { x: 0.0833… }
 */
export function capWeights(counts: readonly { key: string; n: number; total: number }[]): Record<string, number> {
  const weights = counts.map(({ key, n, total }) => [key, sourceWeight(n, total)] as const).filter(([, w]) => w < 1);
  return Object.fromEntries(weights);
}
