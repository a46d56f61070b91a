/**
 * What every loader produces: per customer, purchase-days (same-day transactions merged, the convention of
 * the BG/NBD literature) with their spend, plus — for SDK event logs only — the raw events the features are
 * computed from. All customers' purchase-days sit in two flat typed arrays (16 bytes a purchase-day) and
 * each customer is an index with a [start, end) range into them, so memory grows with customers and
 * purchase-days, never with the rows of the file (a day's many line items merge as they stream past), and
 * there is no object per customer or per transaction.
 */
import type { ShoalEvent } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';

/** One customer's purchase-days and spend (and events, for SDK event logs), as loaders and tests build them. */
export interface History {
  /** Day starts (UTC ms) of purchase-days, ascending, distinct. */
  days: number[];
  /** Spend per purchase-day, aligned with `days`. */
  amounts: number[];
  /** Browsing and buying events in time order (SDK event logs); absent for transaction logs. */
  events?: ShoalEvent[];
}

/**
 * Every customer's history, in load order. Customer `i`'s purchase-days are `days[start[i]..end[i])`, with
 * spend `amounts[…]`; `events[i]` only for SDK event logs. Views made by `truncate` share the arrays.
 * @example const h = data.histories; for (let i = 0; i < h.size; i++) h.end[i]! - h.start[i]! // purchase-days
 */
export class Histories {
  constructor(
    readonly ids: readonly string[],
    readonly start: Uint32Array,
    readonly end: Uint32Array,
    readonly days: Float64Array,
    readonly amounts: Float64Array,
    readonly events: readonly (ShoalEvent[] | undefined)[] | null = null,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** Customer `i` as plain arrays (a copy: for tests and small tools, not for loops over a million). */
  at(i: number): History {
    const h: History = {
      days: [...this.days.subarray(this.start[i], this.end[i])],
      amounts: [...this.amounts.subarray(this.start[i], this.end[i])],
    };
    const events = this.events?.[i];
    if (events) h.events = events;
    return h;
  }

  /** A customer by id (a linear search: for tests and small tools). */
  get(id: string): History | undefined {
    const i = this.ids.indexOf(id);
    return i < 0 ? undefined : this.at(i);
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /**
   * Builds the store from plain per-customer histories (tests, synthetic shops).
   * @example Histories.from(new Map([['c1', { days: [day], amounts: [9.5] }]]))
   */
  static from(entries: Iterable<readonly [string, History]>): Histories {
    const list = [...entries];
    const total = list.reduce((s, [, h]) => s + h.days.length, 0);
    const start = new Uint32Array(list.length);
    const end = new Uint32Array(list.length);
    const days = new Float64Array(total);
    const amounts = new Float64Array(total);
    let k = 0;
    list.forEach(([, h], i) => {
      start[i] = k;
      days.set(h.days, k);
      amounts.set(h.amounts, k);
      k += h.days.length;
      end[i] = k;
    });
    const events = list.some(([, h]) => h.events) ? list.map(([, h]) => h.events) : null;
    return new Histories(
      list.map(([id]) => id),
      start,
      end,
      days,
      amounts,
      events,
    );
  }
}

export interface Dataset {
  format: string;
  rows: number;
  /** Rows kept (before same-day merging). */
  kept: number;
  drops: DropReport;
  histories: Histories;
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

/** A typed array that doubles when full. */
function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/**
 * Collects transactions and drops while a file streams past, then orders and merges each customer's days.
 * A row of the same customer and day as that customer's previous purchase-day is added to it on the spot,
 * so a file of line items takes the memory of its purchase-days.
 * @example const acc = historyBuilder('elog'); acc.add('c1', day, 9.5); const data = acc.finish();
 */
export function historyBuilder(format: string) {
  const index = new Map<string, number>();
  const ids: string[] = [];
  let last = new Int32Array(1024);
  const events: (ShoalEvent[] | undefined)[] = [];
  // Purchase-days in arrival order: owner, day, spend.
  let owner = new Int32Array(4096);
  let day = new Float64Array(4096);
  let spend = new Float64Array(4096);
  let entries = 0;
  const counts: Record<string, number> = {};
  const examples: string[] = [];
  let rows = 0;
  let kept = 0;
  let malformed = 0;
  let unsorted = false;
  const customer = (id: string): number => {
    let c = index.get(id);
    if (c === undefined) {
      c = ids.length;
      index.set(id, c);
      ids.push(id);
      last = grow(last, c + 1);
      last[c] = -1;
    }
    return c;
  };
  return {
    add(id: string, ts: number, amount: number) {
      rows++;
      kept++;
      const d = Math.floor(ts / DAY_MS) * DAY_MS;
      const c = customer(id);
      const prev = last[c]!;
      if (prev >= 0 && day[prev] === d) spend[prev]! += amount;
      else {
        if (prev >= 0 && day[prev]! > d) unsorted = true;
        owner = grow(owner, entries + 1);
        day = grow(day, entries + 1);
        spend = grow(spend, entries + 1);
        owner[entries] = c;
        day[entries] = d;
        spend[entries] = amount;
        last[c] = entries++;
      }
    },
    /** Attaches a raw SDK event (the caller adds purchases through `add` as well). */
    event(id: string, event: ShoalEvent) {
      const c = customer(id);
      events[c] ??= [];
      events[c].push(event);
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
      if (malformed > 0 && malformed >= rows / 2) {
        throw new Error(
          `most rows are malformed — is this really ${format} data?\n  ${examples.slice(0, 5).join('\n  ')}`,
        );
      }
      index.clear();
      const n = ids.length;
      // A counting sort by customer keeps each customer's days in arrival order (stable).
      const start = new Uint32Array(n);
      const end = new Uint32Array(n);
      for (let e = 0; e < entries; e++) end[owner[e]!]!++;
      for (let c = 0, k = 0; c < n; c++) {
        start[c] = k;
        k += end[c]!;
        end[c] = start[c]!;
      }
      const days = new Float64Array(entries);
      const amounts = new Float64Array(entries);
      for (let e = 0; e < entries; e++) {
        const k = end[owner[e]!]!++;
        days[k] = day[e]!;
        amounts[k] = spend[e]!;
      }
      // The arrival-order arrays are garbage from here; only the per-customer layout lives on.
      owner = new Int32Array(0);
      day = spend = new Float64Array(0);
      if (unsorted) for (let c = 0; c < n; c++) end[c] = mergeSorted(days, amounts, start[c]!, end[c]!);
      let purchaseDays = 0;
      let firstDay = Infinity;
      let lastDay = -Infinity;
      const hasEvents = events.length > 0;
      for (let c = 0; c < n; c++) {
        const ev = events[c];
        ev?.sort((a, b) => a.ts - b.ts);
        const [s, e] = [start[c]!, end[c]!];
        purchaseDays += e - s;
        firstDay = Math.min(firstDay, e > s ? days[s]! : Infinity, ev?.[0]?.ts ?? Infinity);
        lastDay = Math.max(lastDay, e > s ? days[e - 1]! : -Infinity, ev?.at(-1)?.ts ?? -Infinity);
      }
      if (hasEvents) events.length = n;
      const histories = new Histories(ids, start, end, days, amounts, hasEvents ? events : null);
      return { format, rows, kept, drops: { counts, examples, malformed }, histories, purchaseDays, firstDay, lastDay };
    },
  };
}

/**
 * Orders one customer's days (stable, so same-day spend adds up in arrival order) and merges equal days in
 * place; returns the new end of its range.
 */
function mergeSorted(days: Float64Array, amounts: Float64Array, s: number, e: number): number {
  let sorted = true;
  for (let k = s + 1; k < e && sorted; k++) sorted = days[k - 1]! < days[k]!;
  if (sorted) return e;
  const order = Array.from({ length: e - s }, (_, i) => s + i).sort((a, b) => days[a]! - days[b]!);
  const d = order.map((k) => days[k]!);
  const a = order.map((k) => amounts[k]!);
  let w = s - 1;
  for (let i = 0; i < d.length; i++) {
    if (w >= s && days[w] === d[i]) amounts[w]! += a[i]!;
    else {
      days[++w] = d[i]!;
      amounts[w] = a[i]!;
    }
  }
  return w + 1;
}

/** One line of the run log: "541909 rows, 397924 kept; dropped: missing customer id 135080, …". */
export function describeDrops(d: Dataset): string {
  const parts = Object.entries(d.drops.counts)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n}`);
  return (
    `${d.rows} rows, ${d.kept} kept → ${d.purchaseDays} purchase-days of ${d.histories.size} customers` +
    (parts.length ? `; dropped ${d.rows - d.kept}: ${parts.join(', ')}` : '; nothing dropped') +
    d.drops.examples
      .slice(0, 5)
      .map((e) => `\n  ${e}`)
      .join('')
  );
}
