import type { ShoalEvent } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';

/**
 * What every loader produces: per customer, purchase-days (same-day transactions merged, the convention of
 * the BG/NBD literature) with their spend, plus — for SDK event logs only — the raw events the features are
 * computed from. Transaction logs keep just two number arrays per customer, so memory grows with customers,
 * not with the rows of the file.
 */
export interface History {
  /** Day starts (UTC ms) of purchase-days, ascending, distinct. */
  days: number[];
  /** Spend per purchase-day, aligned with `days`. */
  amounts: number[];
  /** Browsing and buying events in time order (SDK event logs); absent for transaction logs. */
  events?: ShoalEvent[];
}

export interface Dataset {
  format: string;
  rows: number;
  /** Rows kept (before same-day merging). */
  kept: number;
  drops: DropReport;
  histories: Map<string, History>;
  purchaseDays: number;
  firstDay: number;
  lastDay: number;
}

export interface DropReport {
  /** Rows dropped, by reason (expected dirt such as cancellations, and malformed rows). */
  counts: Record<string, number>;
  /** The first malformed rows, with their line numbers, for the run log. */
  examples: string[];
  malformed: number;
}

/** A row a loader rejects: `reason` is the category counted; `detail` (malformed rows only) is shown with the line. */
export interface Drop {
  reason: string;
  detail?: string;
}

/**
 * Collects transactions and drops while a file streams past, then orders and merges each customer's days.
 * @example const acc = historyBuilder('elog'); acc.add('c1', day, 9.5, 2); const data = acc.finish();
 */
export function historyBuilder(format: string) {
  const histories = new Map<string, History>();
  const counts: Record<string, number> = {};
  const examples: string[] = [];
  let rows = 0;
  let kept = 0;
  let malformed = 0;
  let unsorted = false;
  return {
    add(customer: string, ts: number, amount: number) {
      rows++;
      kept++;
      const day = Math.floor(ts / DAY_MS) * DAY_MS;
      let h = histories.get(customer);
      if (!h) histories.set(customer, (h = { days: [], amounts: [] }));
      const last = h.days.length - 1;
      if (last >= 0 && h.days[last] === day) h.amounts[last]! += amount;
      else {
        if (last >= 0 && h.days[last]! > day) unsorted = true;
        h.days.push(day);
        h.amounts.push(amount);
      }
    },
    /** Attaches a raw SDK event (the caller adds purchases through `add` as well). */
    event(customer: string, event: ShoalEvent) {
      let h = histories.get(customer);
      if (!h) histories.set(customer, (h = { days: [], amounts: [] }));
      (h.events ??= []).push(event);
    },
    drop(line: number, { reason, detail }: Drop) {
      rows++;
      counts[reason] = (counts[reason] ?? 0) + 1;
      if (detail !== undefined) {
        malformed++;
        if (examples.length < 20) examples.push(`line ${line}: ${detail}`);
      }
    },
    /** Counts a row that carries no transaction but is not dirt either (e.g. a browsing event). */
    skip() {
      rows++;
      kept++;
    },
    finish(): Dataset {
      let purchaseDays = 0;
      let firstDay = Infinity;
      let lastDay = -Infinity;
      for (const h of histories.values()) {
        if (unsorted) mergeSorted(h);
        h.events?.sort((a, b) => a.ts - b.ts);
        purchaseDays += h.days.length;
        const first = Math.min(h.days[0] ?? Infinity, h.events?.[0]?.ts ?? Infinity);
        const lastTs = Math.max(h.days.at(-1) ?? -Infinity, h.events?.at(-1)?.ts ?? -Infinity);
        firstDay = Math.min(firstDay, first);
        lastDay = Math.max(lastDay, lastTs);
      }
      if (malformed > 0 && malformed >= rows / 2) {
        throw new Error(`most rows are malformed — is this really ${format} data?\n  ${examples.slice(0, 5).join('\n  ')}`);
      }
      return { format, rows, kept, drops: { counts, examples, malformed }, histories, purchaseDays, firstDay, lastDay };
    },
  };
}

function mergeSorted(h: History): void {
  const order = h.days.map((_, i) => i).sort((a, b) => h.days[a]! - h.days[b]!);
  const days: number[] = [];
  const amounts: number[] = [];
  for (const i of order) {
    if (days.at(-1) === h.days[i]) amounts[amounts.length - 1]! += h.amounts[i]!;
    else {
      days.push(h.days[i]!);
      amounts.push(h.amounts[i]!);
    }
  }
  h.days = days;
  h.amounts = amounts;
}

/** One line of the run log: "541909 rows, 397924 kept; dropped: missing customer id 135080, …". */
export function describeDrops(d: Dataset): string {
  const parts = Object.entries(d.drops.counts).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`);
  return `${d.rows} rows, ${d.kept} kept → ${d.purchaseDays} purchase-days of ${d.histories.size} customers` +
    (parts.length ? `; dropped ${d.rows - d.kept}: ${parts.join(', ')}` : '; nothing dropped') +
    d.drops.examples.slice(0, 5).map((e) => `\n  ${e}`).join('');
}
