import type { ShoalEvent } from '../../sdk/src/contract/index.js';
import { DAY_MS, applyEvent, emptyAggregates, featureVector } from '../../sdk/src/features/index.js';

/**
 * One row per customer seen at a moment `at`: the features a browser would compute at `at` (events ≤ at,
 * through the SDK's own feature code) and what happened in the window (at, at + horizon] that follows.
 * Training uses at = t0 = cutoff − horizon, so its targets end at the cutoff; evaluation uses at = cutoff.
 */
export interface Frame {
  at: number;
  horizonDays: number;
  customers: string[];
  /** Raw (unnormalised) feature vectors, in FEATURE_NAMES order. */
  x: number[][];
  /** Dollars spent in (at, at + horizon]. */
  spend: number[];
  /** 1 when the customer made no purchase in (at, at + horizon]. */
  churn: number[];
  /** Dollars spent in (at − horizon, at]: a persistence baseline for the value head. */
  priorSpend: number[];
}

const spendIn = (events: readonly ShoalEvent[], from: number, to: number) =>
  events.reduce((s, e) => (e.type === 'purchase' && e.ts > from && e.ts <= to ? s + e.total : s), 0);

/**
 * Frames every customer whose first event is at or before `at`.
 * @example buildFrame(data.histories, Date.UTC(1997, 6, 1), 91).x.length // customers known by 1997-07-01
 */
export function buildFrame(histories: ReadonlyMap<string, readonly ShoalEvent[]>, at: number, horizonDays: number): Frame {
  const end = at + horizonDays * DAY_MS;
  const frame: Frame = { at, horizonDays, customers: [], x: [], spend: [], churn: [], priorSpend: [] };
  for (const [customer, events] of histories) {
    // The one place the future is cut off: only events up to `at` reach the aggregate.
    const past = events.filter((e) => e.ts <= at);
    if (past.length === 0) continue;
    const agg = past.reduce(applyEvent, emptyAggregates());
    const spend = spendIn(events, at, end);
    const bought = events.some((e) => e.type === 'purchase' && e.ts > at && e.ts <= end);
    frame.customers.push(customer);
    frame.x.push(featureVector(agg, at));
    frame.spend.push(spend);
    frame.churn.push(bought ? 0 : 1);
    frame.priorSpend.push(spendIn(past, at - horizonDays * DAY_MS, at));
  }
  return frame;
}
