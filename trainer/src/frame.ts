import type { ShoalEvent } from '../../sdk/src/contract/index.js';
import type { RfSummary } from '../../sdk/src/features/bgnbd.js';
import { DAY_MS, applyEvent, emptyAggregates, featureVector } from '../../sdk/src/features/index.js';
import type { History } from './load/history.js';

/**
 * One row per customer seen at a moment `at`: the features a browser would compute at `at` (events ≤ at,
 * through the SDK's own feature code), the exact BG/NBD summary, and what happened in (at, end]. Training
 * frames sit at internal cutoffs with `end` ≤ the cutoff; the evaluation frame sits at the cutoff with
 * `end` = holdout end. Targets count purchase-days, as the BG/NBD literature does.
 */
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
function purchaseEvents(h: History, at: number): ShoalEvent[] {
  const out: ShoalEvent[] = [];
  for (let i = 0; i < h.days.length && h.days[i]! <= at; i++) {
    const total = Math.round(h.amounts[i]! * 100) / 100;
    out.push({
      type: 'purchase', ts: h.days[i]!, orderId: `d${i}`, total, currency: 'USD',
      items: [{ productId: 'item', category: 'all', price: total, quantity: 1 }],
    });
  }
  return out;
}

/**
 * Features at `at` through the shared feature module: a browser holding this history would compute the same.
 * @example featuresAt(history, cutoff) // number[FEATURE_NAMES.length]
 */
export function featuresAt(h: History, at: number): number[] | null {
  const past = h.events ? h.events.filter((e) => e.ts <= at) : purchaseEvents(h, at);
  if (past.length === 0) return null;
  return featureVector(past.reduce(applyEvent, emptyAggregates()), at);
}

/**
 * Frames every customer with an event at or before `at`; `pick` (e.g. a seeded subsample) may skip some.
 * @example buildFrame(data.histories, Date.UTC(1997, 8, 30), Date.UTC(1998, 5, 30)).x.length
 */
export function buildFrame(histories: ReadonlyMap<string, History>, at: number, end: number, pick?: (customer: string) => boolean): Frame {
  const f: Frame = { at, end, customers: [], x: [], summary: [], orders: [], meanSpend: [], repeatSpend: [], purchases: [], spend: [], lastPeriod: [] };
  const lastFrom = at - (end - at);
  for (const [customer, h] of histories) {
    if (pick && !pick(customer)) continue;
    const x = featuresAt(h, at);
    if (!x) continue;
    let n = 0;
    let paid = 0;
    let future = 0;
    let futureSpend = 0;
    let last = 0;
    h.days.forEach((d, i) => {
      if (d <= at) {
        n++;
        paid += h.amounts[i]!;
        if (d > lastFrom) last++;
      } else if (d <= end) {
        future++;
        futureSpend += h.amounts[i]!;
      }
    });
    const first = h.days[0] ?? at;
    f.customers.push(customer);
    f.x.push(x);
    f.summary.push(n > 0 ? { x: n - 1, tx: (h.days[n - 1]! - first) / WEEK_MS, T: (at - first) / WEEK_MS } : { x: 0, tx: 0, T: 0 });
    f.orders.push(n);
    f.meanSpend.push(n > 0 ? paid / n : 0);
    f.repeatSpend.push(n > 1 ? (paid - h.amounts[0]!) / (n - 1) : 0);
    f.purchases.push(future);
    f.spend.push(futureSpend);
    f.lastPeriod.push(last);
  }
  return f;
}

/**
 * Internal cutoffs for training: windows ending at the cutoff, of `fractions` of the calibration span, so
 * every target lies inside the calibration period and the horizons vary (the prior carries the horizon).
 * @example internalCutoffs(jan1, sep30) // four day starts between mid-May and mid-August
 */
export function internalCutoffs(start: number, cutoff: number, fractions: readonly number[] = [0.5, 0.4, 0.3, 0.2]): number[] {
  const span = cutoff - start;
  return fractions.map((f) => cutoff - Math.max(7, Math.round((f * span) / DAY_MS)) * DAY_MS).filter((c) => c > start);
}

/**
 * The one place the holdout is cut away: every history truncated at `cutoff`. Training receives only this.
 * @example const known = truncate(data.histories, cutoff);
 */
export function truncate(histories: ReadonlyMap<string, History>, cutoff: number): Map<string, History> {
  const out = new Map<string, History>();
  for (const [customer, h] of histories) {
    const n = h.days.findIndex((d) => d > cutoff);
    const events = h.events?.filter((e) => e.ts <= cutoff);
    const kept: History = n < 0 ? { days: h.days, amounts: h.amounts } : { days: h.days.slice(0, n), amounts: h.amounts.slice(0, n) };
    if (events) kept.events = events;
    if (kept.days.length > 0 || (events?.length ?? 0) > 0) out.set(customer, kept);
  }
  return out;
}
