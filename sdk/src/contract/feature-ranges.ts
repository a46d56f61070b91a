import { FEATURE_NAMES, FEATURE_SPEC, fnv1a } from './feature-spec.js';
import type { FeatureName, FeatureSpec } from './feature-spec.js';

/**
 * Plausible values per feature: what an honest SDK can compute from events its own schema accepts (counts
 * up to 1e9, money up to 1e9 an order, a device clock anywhere since 1970), so the edge can refuse a vector
 * no shopper could have (1.7e308) without refusing a real one. Kept beside the spec, not in it: the spec
 * hash covers names and version only, so adding or widening a range is no spec bump.
 */
const log1p = Math.log1p;
const COUNT = [0, log1p(1e9)] as const;
const SHARE = [0, 1] as const;

export const FEATURE_RANGES: Record<FeatureName, readonly [number, number]> = {
  recency_days: [0, log1p(730)],
  orders: COUNT,
  // 1e9 orders of up to 1e9 each.
  revenue: [0, log1p(1e18)],
  avg_order_value: COUNT,
  // A device clock can date the first event to 1970; a century covers it.
  tenure_days: [0, log1p(36_525)],
  // A decayed count read at a clock earlier than its events grows instead of decaying: 2^40 leaves room for
  // a clock years behind without admitting an absurd value.
  orders_decayed_90d: [0, log1p(1e9 * 2 ** 40)],
  order_trend: SHARE,
  sessions: COUNT,
  product_views: COUNT,
  cart_rate: SHARE,
  purchase_session_rate: SHARE,
  category_concentration: SHARE,
  cart_abandonment: SHARE,
  remove_rate: SHARE,
  searches: COUNT,
  // Seconds per session: a day of dwell per event, 1e9 events.
  dwell_per_session: [0, log1p(86_400 * 1e9)],
};

/** A feature spec the edge accepts syncs for, with each feature's plausible range in spec order. */
export interface AcceptedSpec extends FeatureSpec {
  ranges: readonly (readonly [number, number])[];
}

const accepted = (version: number, names: readonly FeatureName[]): AcceptedSpec => ({
  version,
  names,
  hash: fnv1a(JSON.stringify({ version, names })),
  ranges: names.map((n) => FEATURE_RANGES[n]),
});

/** Spec 1: the first twelve features, before cart abandonment, removals, searches and dwell. */
const SPEC_1 = accepted(1, FEATURE_NAMES.slice(0, 12));

/**
 * The feature specs a sync may use: the current one and the one before, so shoppers whose page still runs
 * the previous SDK keep syncing through a spec bump. A bump adds the new spec first and drops the oldest.
 */
export const ACCEPTED_SPECS: readonly AcceptedSpec[] = [accepted(FEATURE_SPEC.version, FEATURE_NAMES), SPEC_1];

/**
 * The accepted spec a sync names, or undefined.
 *
 * @example acceptedSpec(FEATURE_SPEC.version, FEATURE_SPEC.hash)?.ranges[0] // [0, 6.59]
 */
export function acceptedSpec(version: number, hash: string): AcceptedSpec | undefined {
  return ACCEPTED_SPECS.find((s) => s.version === version && s.hash === hash);
}
