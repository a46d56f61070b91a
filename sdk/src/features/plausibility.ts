import { VISIT_FEATURE_RANGES } from '../contract/feature-ranges.js';
import { FEATURE_NAMES } from '../contract/feature-spec.js';

/** Why a visit gets no intent: behaviour no person shows (`bot`), or values only a broken integration makes. */
export interface Implausible {
  kind: 'bot' | 'invalid';
  reason: string;
}

/** Sixty views in under a minute, or a minute's worth at that pace for longer: one a second, without a pause. */
export const MAX_VIEWS_PER_MINUTE = 60;
const DAY_S = 86_400;

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Flags a visit no model should score, from its feature vector alone (so the SDK, the edge and the trainer
 * can all apply it): hundreds of views a minute, a visit or its visible time running past a day, a feature
 * that is NaN, infinite or negative, or a visit feature beyond its plausible range (contract/feature-ranges.ts). Such a visit
 * gets no intent and never counts as high intent; nothing is clipped into range, because a bot clipped to
 * the top of every range reads as the most engaged shopper there is.
 * @example implausibleVisit(featureVector(agg, now)) // null, or { kind: 'bot', reason: '240 views in 30 s' }
 */
export function implausibleVisit(vector: readonly number[]): Implausible | null {
  let above: Implausible | null = null;
  const raw: Record<string, number> = {};
  for (let i = 0; i < FEATURE_NAMES.length; i++) {
    const name = FEATURE_NAMES[i]!;
    const x = vector[i];
    // Lifetime features come from validated events by the SDK's own code: finite and non-negative is all.
    const [min, max] = VISIT_FEATURE_RANGES[name as keyof typeof VISIT_FEATURE_RANGES] ?? [0, Infinity];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min)
      return { kind: 'invalid', reason: `${name} is ${x === undefined ? 'missing' : round(x)}` };
    if (x > max) above ??= { kind: 'bot', reason: `${name} is ${round(x)}, above ${round(max)}` };
    raw[name] = Math.expm1(x);
  }
  const views = Math.round(Math.max(raw.visit_pages!, raw.visit_product_views!));
  const seconds = raw.visit_duration_seconds!;
  if (views >= MAX_VIEWS_PER_MINUTE && views / Math.max(1, seconds / 60) >= MAX_VIEWS_PER_MINUTE)
    return { kind: 'bot', reason: `${views} views in ${Math.round(seconds)} s` };
  if (seconds > DAY_S) return { kind: 'bot', reason: 'visit without a 30-minute pause for over a day' };
  if (raw.visit_active_seconds! > DAY_S) return { kind: 'bot', reason: 'visible for over a day in one visit' };
  return above;
}
