import { FEATURE_RANGES } from './feature-ranges.js';
import { FEATURE_NAMES, FEATURE_SPEC, fnv1a, LIFETIME_FEATURE_NAMES } from './feature-spec.js';
import type { FeatureName, FeatureSpec } from './feature-spec.js';

/**
 * The compatibility rule for feature specs, which only the edge reads (a module of its own, so the browser's
 * bundles, which read the ranges, never compute it).
 */

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

/** Spec 2: the sixteen lifetime features, before the visit's (spec 3 appends them). */
const SPEC_2 = accepted(2, LIFETIME_FEATURE_NAMES);

/**
 * The feature specs a sync may use: the current one and the one before, so shoppers whose page still runs
 * the previous SDK keep syncing through a spec bump. A bump adds the new spec first and drops the oldest.
 */
export const ACCEPTED_SPECS: readonly AcceptedSpec[] = [accepted(FEATURE_SPEC.version, FEATURE_NAMES), SPEC_2];

/**
 * The accepted spec a sync names, or undefined.
 *
 * @example acceptedSpec(FEATURE_SPEC.version, FEATURE_SPEC.hash)?.ranges[0] // [0, 6.59]
 */
export function acceptedSpec(version: number, hash: string): AcceptedSpec | undefined {
  return ACCEPTED_SPECS.find((s) => s.version === version && s.hash === hash);
}
