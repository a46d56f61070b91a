import { FEATURE_NAMES, type FeatureName, type ShoalEvent } from '../../../sdk/src/contract/index.js';
import {
  applyEvent,
  emptyAggregates,
  featureVector,
  implausibleVisit,
  SESSION_GAP_MS,
} from '../../../sdk/src/features/index.js';
import type { Drop, DropReport, Histories } from './history.js';

/**
 * Visits the intent tower learns from: per visit, spec features (columns `names`, raw units), whether it
 * ended in an order, and its calendar month (the time split's key). UCI rows arrive as session totals
 * (uci-sessions.ts); a shop's SDK event log is cut into visits here, by the SDK's own 30-minute rule.
 */
export interface Sessions {
  source: 'uci' | 'events';
  names: readonly FeatureName[];
  x: number[][];
  ordered: (0 | 1)[];
  /** 1–12. */
  month: number[];
  rows: number;
  drops: DropReport;
}

/**
 * Gathers sessions and the rows dropped on the way, for one source.
 * @example const acc = sessionCollector('uci', ['visit_pages']); acc.add([1.1], 0, 2); acc.finish()
 */
export function sessionCollector(source: Sessions['source'], names: readonly FeatureName[]) {
  const s: Sessions = {
    source,
    names,
    x: [],
    ordered: [],
    month: [],
    rows: 0,
    drops: { counts: {}, examples: [], malformed: 0 },
  };
  return {
    add(x: number[], ordered: 0 | 1, month: number) {
      s.rows++;
      s.x.push(x);
      s.ordered.push(ordered);
      s.month.push(month);
    },
    drop(line: number, d: Drop) {
      s.rows++;
      s.drops.counts[d.reason] = (s.drops.counts[d.reason] ?? 0) + 1;
      if (d.reason === 'malformed') s.drops.malformed++;
      if (d.detail && s.drops.examples.length < 20) s.drops.examples.push(`line ${line}: ${d.detail}`);
    },
    finish: () => s,
  };
}

/** The spec's visit features: what a visit says about itself (the lifetime ones describe the shopper). */
export const VISIT_COLUMNS = FEATURE_NAMES.slice(FEATURE_NAMES.indexOf('visit_pages'));

/**
 * Cuts every shopper's events into visits (a gap over SESSION_GAP_MS starts one, as in the SDK) and
 * describes each as the browser would have just before its first purchase: the features through the SDK's
 * own aggregate at the last event before it (or the visit's last event when nothing was bought), labelled 1
 * when a purchase followed within the visit. Visits the SDK would flag (implausibleVisit) are dropped and
 * counted. Months are read in UTC: an event log carries no shopper's clock.
 * @example const sessions = eventSessions(data.histories)
 */
export function eventSessions(histories: Histories): Sessions {
  const acc = sessionCollector('events', VISIT_COLUMNS);
  const first = FEATURE_NAMES.indexOf(VISIT_COLUMNS[0]!);
  for (let i = 0; i < histories.size; i++) {
    const events = histories.events?.[i] ?? [];
    let agg = emptyAggregates();
    let visit: ShoalEvent[] = [];
    const close = () => {
      const buy = visit.findIndex((e) => e.type === 'purchase');
      const seen = buy < 0 ? visit : visit.slice(0, buy);
      // A visit whose first event is the purchase says nothing before it: nothing to learn from.
      if (seen.length === 0) {
        if (visit.length > 0) acc.drop(0, { reason: 'visit opens with its purchase' });
      } else {
        let before = agg;
        for (const e of seen) before = applyEvent(before, e);
        const vector = featureVector(before, seen.at(-1)!.ts);
        const implausible = implausibleVisit(vector);
        if (implausible) acc.drop(0, { reason: `implausible visit (${implausible.kind})` });
        else acc.add(vector.slice(first), buy < 0 ? 0 : 1, new Date(seen[0]!.ts).getUTCMonth() + 1);
      }
      for (const e of visit) agg = applyEvent(agg, e);
      visit = [];
    };
    for (const e of events) {
      if (visit.length > 0 && e.ts - visit.at(-1)!.ts > SESSION_GAP_MS) close();
      visit.push(e);
    }
    close();
  }
  return acc.finish();
}
