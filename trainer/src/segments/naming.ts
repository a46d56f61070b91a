/**
 * Names k-means segments from their centroids in units a merchandiser reads (days, orders, dollars), with
 * fixed rules so the same centroids always get the same names.
 */
import { FEATURE_NAMES, type FeatureName } from '../../../sdk/src/contract/index.js';
import type { Normalisation } from '../../../sdk/src/features/index.js';

export interface SegmentProfile {
  recencyDays: number;
  orders: number;
  revenue: number;
  tenureDays: number;
  /** 0..1: the share of a customer's order mass from the last ~month (order_trend). */
  trend: number;
}

export interface NamedSegment {
  id: number;
  name: string;
  description: string;
}

const col = (name: FeatureName) => FEATURE_NAMES.indexOf(name);

/**
 * Undoes standardisation and the features' log1p scaling, giving a centroid's typical customer.
 * @example profileOf(centroid, manifest.normalisation).recencyDays // days since the typical member's last order
 */
export function profileOf(centroid: readonly number[], { mean, std }: Normalisation): SegmentProfile {
  const raw = (name: FeatureName) => (mean[col(name)] ?? 0) + (std[col(name)] ?? 0) * (centroid[col(name)] ?? 0);
  const unlog = (name: FeatureName) => Math.max(0, Math.expm1(raw(name)));
  return {
    recencyDays: unlog('recency_days'),
    orders: unlog('orders'),
    revenue: unlog('revenue'),
    tenureDays: unlog('tenure_days'),
    trend: raw('order_trend'),
  };
}

interface Rule {
  name: string;
  when: (p: SegmentProfile, typical: SegmentProfile) => boolean;
  says: string;
}

// First match wins. Thresholds are ratios to the shop's typical customer (the centre of the standardised
// data), so the names fit a shop with any order rhythm: a music store's "recent" is not a grocer's.
const RULES: readonly Rule[] = [
  {
    name: 'champions',
    when: (p, t) => p.orders >= 2.5 * t.orders && p.recencyDays <= 0.5 * t.recencyDays,
    says: 'Frequent buyers who bought recently',
  },
  {
    name: 'loyal',
    when: (p, t) => p.orders >= 1.5 * t.orders && p.recencyDays <= 0.5 * t.recencyDays,
    says: 'Repeat buyers, still active',
  },
  { name: 'at_risk', when: (p, t) => p.orders >= 1.5 * t.orders, says: 'Repeat buyers who have gone quiet' },
  { name: 'big_spenders', when: (p, t) => p.revenue >= 1.5 * t.revenue, says: 'Few but large orders' },
  { name: 'new', when: (p, t) => p.tenureDays <= 0.5 * t.tenureDays, says: 'Recently acquired customers' },
  { name: 'promising', when: (p, t) => p.recencyDays <= 0.5 * t.recencyDays, says: 'Bought recently, not yet a habit' },
  {
    name: 'hibernating',
    when: (p, t) => p.recencyDays >= 1.25 * t.recencyDays,
    says: 'Occasional buyers, long inactive',
  },
  { name: 'lapsing', when: () => true, says: 'Occasional buyers drifting away' },
];

const fmt = (x: number) => (x >= 10 ? Math.round(x).toString() : x.toFixed(1));

/**
 * Names each profile (index = segment id) against the typical customer (profileOf the all-zero centroid);
 * a name already taken gets a numeric suffix (hibernating_2).
 * @example nameSegments([p0, p1], typical).map((s) => s.name) // ['champions', 'hibernating']
 */
export function nameSegments(profiles: readonly SegmentProfile[], typical: SegmentProfile): NamedSegment[] {
  const taken = new Map<string, number>();
  return profiles.map((p, id) => {
    const rule = RULES.find((r) => r.when(p, typical))!;
    const n = (taken.get(rule.name) ?? 0) + 1;
    taken.set(rule.name, n);
    const name = n === 1 ? rule.name : `${rule.name}_${n}`;
    const trend = p.trend >= 0.5 ? ', buying more lately' : '';
    const description =
      `${rule.says}: typically ${fmt(p.orders)} orders, $${fmt(p.revenue)} spent, ` +
      `last order ${fmt(p.recencyDays)} days ago${trend}.`;
    return { id, name, description };
  });
}
