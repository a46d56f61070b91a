import { FEATURE_NAMES, FEATURE_SPEC } from '../../../sdk/src/contract/index.js';
import { DAY_MS, RECENCY_CAP_DAYS } from '../../../sdk/src/features/index.js';
import { NO_SEGMENT } from './counts.js';

/** Like drift: enough shoppers for stable medians and shares, few enough for one quick D1 read. */
export const PROFILE_SAMPLE_MAX = 5_000;

/** What a segment's shoppers are like, from their latest stored aggregates. */
export interface SegmentProfile {
  name: string;
  /** Shoppers in the sample whose latest snapshot is in this segment, and their share of the sample. */
  shoppers: number;
  share: number;
  /** Medians (a few big spenders do not make a segment look rich) of what shoppers did. */
  typical: {
    orders: number;
    /** Revenue so far, in the shop's currency. */
    spend: number;
    /** Days since the last order, as of now; null when nobody in the segment has ordered. */
    recencyDays: number | null;
    /** Share of the segment that has ordered at least once (recency is theirs). */
    buyers: number;
  };
  /** Means of the model's on-device predictions, over the shoppers whose SDK sent them. */
  predicted: {
    /** Expected spend over the model's horizon; null when none was sent. */
    spend: number | null;
    /** Probability of not buying again within the horizon, 0..1; null when none was sent. */
    churnRisk: number | null;
    /** How many shoppers the means are over. */
    shoppers: number;
  };
  /** Shoppers per value tier (only those whose SDK sent one). */
  tiers: Record<string, number>;
}

export interface ProfilesReport {
  window: { days: number; since: string };
  /** Shoppers read (latest snapshot updated inside the window, newest first, at most PROFILE_SAMPLE_MAX). */
  sample: number;
  /** True when the window held more shoppers than the sample: shares and medians are then estimates. */
  capped: boolean;
  /** Largest segment first. */
  segments: SegmentProfile[];
}

/** The columns one summary needs, as D1 returns them. */
export interface ProfileStatsRow {
  segment: string | null;
  features: string;
  sent_at: number;
  value_tier: string | null;
  churn_risk: number | null;
  predicted_spend: number | null;
}

const at = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);
const RECENCY = at('recency_days');
const ORDERS = at('orders');
const REVENUE = at('revenue');

/**
 * The middle value (the mean of the two middle ones for an even count), or null for none.
 *
 * @example
 * median([5, 1, 3, 100]); // 4
 */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** Features are log1p-scaled (see sdk/src/features/vector.ts); this undoes it. */
const unscale = (x: number | undefined) =>
  typeof x === 'number' && Number.isFinite(x) ? Math.max(0, Math.expm1(x)) : 0;

/**
 * Per-segment profiles from stored rows: medians of orders, spend and (for shoppers who ordered) days since
 * the last order, moved on from the snapshot's time to `now`; means of the predictions; the tier mix.
 * Pure, so it is tested without a database.
 *
 * @example
 * const segments = summariseProfiles(rows, Date.now());
 */
export function summariseProfiles(rows: ProfileStatsRow[], now: number): SegmentProfile[] {
  const groups = new Map<string, ProfileStatsRow[]>();
  for (const row of rows) {
    const name = row.segment ?? NO_SEGMENT;
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  const total = rows.length;
  return [...groups.entries()]
    .map(([name, members]) => {
      const vectors = members.map((m) => {
        const parsed = JSON.parse(m.features) as unknown;
        return { x: Array.isArray(parsed) ? (parsed as number[]) : [], sentAt: m.sent_at };
      });
      const orders = vectors.map((v) => unscale(v.x[ORDERS]));
      const buyers = vectors.filter((_, i) => orders[i]! >= 0.5);
      const recency = buyers.map((v) =>
        Math.min(RECENCY_CAP_DAYS, unscale(v.x[RECENCY]) + Math.max(0, now - v.sentAt) / DAY_MS),
      );
      const predicted = members.filter((m) => m.predicted_spend !== null || m.churn_risk !== null);
      // A Map: a tier named "constructor" or "__proto__" must count as a name, not reach Object.prototype.
      const tiers = new Map<string, number>();
      for (const m of members) if (m.value_tier !== null) tiers.set(m.value_tier, (tiers.get(m.value_tier) ?? 0) + 1);
      return {
        name,
        shoppers: members.length,
        share: members.length / total,
        typical: {
          orders: median(orders)!,
          spend: median(vectors.map((v) => unscale(v.x[REVENUE])))!,
          recencyDays: median(recency),
          buyers: buyers.length / members.length,
        },
        predicted: {
          spend: mean(members.flatMap((m) => (m.predicted_spend === null ? [] : [m.predicted_spend]))),
          churnRisk: mean(members.flatMap((m) => (m.churn_risk === null ? [] : [m.churn_risk]))),
          shoppers: predicted.length,
        },
        tiers: Object.fromEntries(tiers),
      };
    })
    .sort((a, b) => b.shoppers - a.shoppers || a.name.localeCompare(b.name));
}

/**
 * Who each segment's shoppers are, from the latest snapshot of every shopper updated in the last `days` days
 * (current feature spec only, newest first, at most PROFILE_SAMPLE_MAX): one indexed D1 read, whatever the
 * shop's size. Reads the prediction columns (`value_tier`, `churn_risk`, `predicted_spend`) that migration
 * 0003 adds to `profiles`.
 *
 * @example
 * const report = await segmentProfiles(env.DB, Date.now(), 30);
 */
export async function segmentProfiles(db: D1Database, now: number, days: number): Promise<ProfilesReport> {
  const since = now - days * DAY_MS;
  const { results } = await db
    .prepare(
      `SELECT segment, features, sent_at, value_tier, churn_risk, predicted_spend FROM profiles
       WHERE updated_at >= ? AND spec_hash = ? ORDER BY updated_at DESC LIMIT ?`,
    )
    .bind(since, FEATURE_SPEC.hash, PROFILE_SAMPLE_MAX + 1)
    .all<ProfileStatsRow>();
  const capped = results.length > PROFILE_SAMPLE_MAX;
  const rows = capped ? results.slice(0, PROFILE_SAMPLE_MAX) : results;
  return {
    window: { days, since: new Date(since).toISOString() },
    sample: rows.length,
    capped,
    segments: summariseProfiles(rows, now),
  };
}
