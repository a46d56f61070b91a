/**
 * One row per customer seen at a moment `at`: the features a browser would compute at `at` (events ≤ at,
 * through the SDK's own feature code), the exact BG/NBD summary, and what happened in (at, end]. Training
 * frames sit at internal cutoffs with `end` ≤ the cutoff; the evaluation frame sits at the cutoff with
 * `end` = holdout end. Targets count purchase-days, as the BG/NBD literature does.
 */
import type { ShoalEvent } from '../../../sdk/src/contract/index.js';
import { DAY_MS, type RfSummary, applyEvent, emptyAggregates, featureVector } from '../../../sdk/src/features/index.js';
import type { Histories } from '../load/index.js';

/** A frame: one row per customer, the arrays aligned by row. */
export interface Frame {
  at: number;
  end: number;
  customers: string[];
  /** Raw (unnormalised) feature vectors, in FEATURE_NAMES order. */
  x: number[][];
  /** x, t_x, T in weeks from the purchase-days up to `at` (x = −1 never happens: non-buyers get x 0, T 0). */
  summary: RfSummary[];
  /** Purchase-days up to `at`, and their mean spend: the Gamma-Gamma inputs. */
  orders: number[];
  meanSpend: number[];
  /** Mean spend of the repeat purchase-days (first excluded), the standard Gamma-Gamma input; 0 if none. */
  repeatSpend: number[];
  /** Purchase-days and spend in (at, end]. */
  purchases: number[];
  spend: number[];
  /** Purchase-days in the window of the same length before `at` (shorter if history is): "next = last". */
  lastPeriod: number[];
}

export const WEEK_MS = 7 * DAY_MS;

/** The purchase events of a transaction log, for the SDK's aggregate; one generic line item per purchase-day. */
function purchaseEvents(h: Histories, i: number, at: number): ShoalEvent[] {
  const out: ShoalEvent[] = [];
  const s = h.start[i]!;
  for (let k = s; k < h.end[i]! && h.days[k]! <= at; k++) {
    const total = Math.round(h.amounts[k]! * 100) / 100;
    out.push({
      type: 'purchase',
      ts: h.days[k]!,
      orderId: `d${k - s}`,
      total,
      currency: 'USD',
      items: [{ productId: 'item', category: 'all', price: total, quantity: 1 }],
    });
  }
  return out;
}

/**
 * Features of customer `i` at `at` through the shared feature module: a browser holding this history would
 * compute the same.
 * @example featuresAt(histories, 0, cutoff) // number[FEATURE_NAMES.length]
 */
export function featuresAt(h: Histories, i: number, at: number): number[] | null {
  const events = h.events?.[i];
  const past = events ? events.filter((e) => e.ts <= at) : purchaseEvents(h, i, at);
  if (past.length === 0) return null;
  return featureVector(past.reduce(applyEvent, emptyAggregates()), at);
}

/** Whether featuresAt(h, i, at) has anything to compute from: an event (or, in transaction logs, a purchase) by `at`. */
function seenBy(h: Histories, i: number, at: number): boolean {
  const events = h.events?.[i];
  return events ? events.some((e) => e.ts <= at) : h.end[i]! > h.start[i]! && h.days[h.start[i]!]! <= at;
}

/** Fills the targets and "last period" counts of the rows of `f` (customer indices `idx`) from `h`. */
function windowCounts(f: Frame, h: Histories, idx: readonly number[]): void {
  const { at, end } = f;
  const lastFrom = at - (end - at);
  f.purchases = new Array<number>(idx.length);
  f.spend = new Array<number>(idx.length);
  f.lastPeriod = new Array<number>(idx.length);
  idx.forEach((i, r) => {
    let future = 0;
    let futureSpend = 0;
    let last = 0;
    for (let k = h.start[i]!; k < h.end[i]!; k++) {
      const d = h.days[k]!;
      if (d <= at) {
        if (d > lastFrom) last++;
      } else if (d <= end) {
        future++;
        futureSpend += h.amounts[k]!;
      }
    }
    f.purchases[r] = future;
    f.spend[r] = futureSpend;
    f.lastPeriod[r] = last;
  });
}

/**
 * Frames every customer with an event at or before `at`; `pick` (e.g. a seeded subsample, by customer
 * index) may skip some.
 * @example buildFrame(data.histories, Date.UTC(1997, 8, 30), Date.UTC(1998, 5, 30)).x.length
 */
export function buildFrame(h: Histories, at: number, end: number, pick?: (i: number) => boolean): Frame {
  const f: Frame = {
    at,
    end,
    customers: [],
    x: [],
    summary: [],
    orders: [],
    meanSpend: [],
    repeatSpend: [],
    purchases: [],
    spend: [],
    lastPeriod: [],
  };
  const idx: number[] = [];
  for (let i = 0; i < h.size; i++) {
    if (pick && !pick(i)) continue;
    const x = featuresAt(h, i, at);
    if (!x) continue;
    const s = h.start[i]!;
    let k = s;
    let paid = 0;
    for (; k < h.end[i]! && h.days[k]! <= at; k++) paid += h.amounts[k]!;
    const n = k - s;
    const first = n > 0 ? h.days[s]! : at;
    idx.push(i);
    f.customers.push(h.ids[i]!);
    f.x.push(x);
    f.summary.push(
      n > 0 ? { x: n - 1, tx: (h.days[k - 1]! - first) / WEEK_MS, T: (at - first) / WEEK_MS } : { x: 0, tx: 0, T: 0 },
    );
    f.orders.push(n);
    f.meanSpend.push(n > 0 ? paid / n : 0);
    f.repeatSpend.push(n > 1 ? (paid - h.amounts[s]!) / (n - 1) : 0);
  }
  windowCounts(f, h, idx);
  return f;
}

/**
 * The frame at the cutoff with its holdout targets: the features, summaries and customers of `atCutoff`
 * (shared, not recomputed: they depend on nothing after `at`), and purchases, spend and "last period" over
 * (at, end] counted from the full histories. Equal to buildFrame(histories, at, end), at a fraction of the
 * time and memory for a million customers.
 * @example const holdout = withTargets(cal.atCutoff, data.histories, holdoutEnd);
 */
export function withTargets(atCutoff: Frame, h: Histories, end: number): Frame {
  const { at } = atCutoff;
  const idx: number[] = [];
  for (let i = 0; i < h.size; i++) if (seenBy(h, i, at)) idx.push(i);
  if (idx.length !== atCutoff.customers.length || idx.some((i, r) => h.ids[i] !== atCutoff.customers[r])) {
    throw new Error('withTargets: the histories do not hold the customers of the frame');
  }
  const f: Frame = { ...atCutoff, end };
  windowCounts(f, h, idx);
  return f;
}
