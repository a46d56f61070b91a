import { FEATURE_NAMES, type FeatureName } from '../../../sdk/src/contract/index.js';
import { implausibleVisit } from '../../../sdk/src/features/index.js';
import type { Drop } from './history.js';
import { type Progress, readCsv } from './lines.js';
import { type Sessions, sessionCollector } from './sessions.js';

/**
 * The UCI Online Shoppers Purchasing Intention sessions (Sakar et al. 2019, UCI dataset 468): one row per
 * session, Google Analytics totals by page type and a Revenue label. UCI rows are session totals, not event
 * streams; UCI_MAPPING says which spec feature each column becomes, in the spec's own units, and
 * uci-sessions.test.ts proves it by replaying rows as SDK events through sdk/src/features.
 */
export const UCI_HEADER = [
  'Administrative',
  'Administrative_Duration',
  'Informational',
  'Informational_Duration',
  'ProductRelated',
  'ProductRelated_Duration',
  'BounceRates',
  'ExitRates',
  'PageValues',
  'SpecialDay',
  'Month',
  'OperatingSystems',
  'Browser',
  'Region',
  'TrafficType',
  'VisitorType',
  'Weekend',
  'Revenue',
] as const;

type Column = (typeof UCI_HEADER)[number];
export type UciRow = Record<Column, string>;

/** UCI spells June in full and has no January or April rows; every other month is three letters. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const num = (r: UciRow, c: Column) => Number(r[c]);
/** Seconds as the SDK holds them: event timestamps are whole milliseconds. */
const seconds = (s: number) => Math.round(s * 1000) / 1000;
const durationOf = (r: UciRow) =>
  seconds(num(r, 'Administrative_Duration') + num(r, 'Informational_Duration') + num(r, 'ProductRelated_Duration'));
const monthIndex = (r: UciRow) => MONTHS.indexOf(r.Month);

/**
 * Column → spec feature, each with the formula it is computed by and why. PageValues, BounceRates and
 * ExitRates are Google Analytics figures over the whole site's traffic that no browser can compute, and
 * SpecialDay needs a per-country holiday calendar: left out. OperatingSystems, Browser, Region and
 * TrafficType are coded ids of that one site's traffic, meaningless elsewhere: left out.
 */
export const UCI_MAPPING: readonly {
  feature: FeatureName;
  from: string;
  value: (r: UciRow) => number;
}[] = [
  {
    feature: 'visit_product_views',
    from: 'log1p(ProductRelated): a product page is a product_view, which a shop sends with or without typed page views',
    value: (r) => Math.log1p(num(r, 'ProductRelated')),
  },
  {
    feature: 'visit_pages_account',
    from: 'log1p(Administrative): account pages (sign-in, registration, order history)',
    value: (r) => Math.log1p(num(r, 'Administrative')),
  },
  {
    feature: 'visit_pages_content',
    from: 'log1p(Informational): content pages (about, shipping, contact)',
    value: (r) => Math.log1p(num(r, 'Informational')),
  },
  {
    feature: 'visit_pages',
    from: 'log1p(Administrative + Informational + ProductRelated): every page is a page_view',
    value: (r) => Math.log1p(num(r, 'Administrative') + num(r, 'Informational') + num(r, 'ProductRelated')),
  },
  {
    feature: 'visit_pages_product',
    from: 'log1p(ProductRelated), when the shop marks its product pages',
    value: (r) => Math.log1p(num(r, 'ProductRelated')),
  },
  {
    feature: 'visit_duration_seconds',
    from: "log1p(sum of the three *_Duration columns): Google Analytics' time between the session's first and last hit, the SDK's first to last event",
    value: (r) => Math.log1p(durationOf(r)),
  },
  {
    feature: 'returning',
    from: 'VisitorType: Returning_Visitor 1, New_Visitor 0, Other 0 (85 rows GA could not place)',
    value: (r) => (r.VisitorType === 'Returning_Visitor' ? 1 : 0),
  },
  { feature: 'weekend', from: 'Weekend: TRUE 1, FALSE 0', value: (r) => (r.Weekend === 'TRUE' ? 1 : 0) },
  {
    feature: 'month_sin',
    from: 'Month m (January 0): sin(π·m/6)',
    value: (r) => Math.sin((Math.PI / 6) * monthIndex(r)),
  },
  {
    feature: 'month_cos',
    from: 'Month m (January 0): cos(π·m/6)',
    value: (r) => Math.cos((Math.PI / 6) * monthIndex(r)),
  },
];

/** Column names and sessions of one file: the header is checked, not assumed. */
function header(record: readonly string[]): Drop | null {
  const ok = record.length === UCI_HEADER.length && UCI_HEADER.every((c, i) => record[i] === c);
  return ok ? null : { reason: 'malformed', detail: `expected the UCI header ${UCI_HEADER.join(',')}` };
}

/**
 * One CSV record → a session (features in UCI_MAPPING order, the label, the month 1–12), or why not.
 * @example uciSession(record) // { x: [1.10, 0, …], ordered: 0, month: 2 }
 */
export function uciSession(record: readonly string[]): { x: number[]; ordered: 0 | 1; month: number } | Drop {
  const bad = (detail: string): Drop => ({ reason: 'malformed', detail });
  if (record.length !== UCI_HEADER.length) return bad(`expected ${UCI_HEADER.length} fields, got ${record.length}`);
  const r = Object.fromEntries(UCI_HEADER.map((c, i) => [c, record[i]!])) as UciRow;
  for (const c of [
    'Administrative',
    'Informational',
    'ProductRelated',
    'Administrative_Duration',
    'Informational_Duration',
    'ProductRelated_Duration',
  ] as const) {
    const v = num(r, c);
    if (r[c] === '' || !Number.isFinite(v) || v < 0) return bad(`${c} '${r[c]}' is not a count or duration ≥ 0`);
  }
  if (monthIndex(r) < 0) return bad(`Month '${r.Month}' is not a month`);
  if (!['TRUE', 'FALSE'].includes(r.Weekend)) return bad(`Weekend '${r.Weekend}' is not TRUE or FALSE`);
  if (!['TRUE', 'FALSE'].includes(r.Revenue)) return bad(`Revenue '${r.Revenue}' is not TRUE or FALSE`);
  const x = UCI_MAPPING.map((m) => m.value(r));
  // What the SDK would refuse to score it does not learn from either (none of the 12,330 rows, as it happens).
  const full = FEATURE_NAMES.map((n) => x[UCI_MAPPING.findIndex((m) => m.feature === n)] ?? 0);
  const implausible = implausibleVisit(full);
  if (implausible) return { reason: `implausible visit (${implausible.kind})` };
  return { x, ordered: r.Revenue === 'TRUE' ? 1 : 0, month: monthIndex(r) + 1 };
}

/**
 * @example const sessions = await loadUciSessions('../shared/data/online_shoppers_intention_uci/online_shoppers_intention.csv');
 */
export async function loadUciSessions(path: string, onProgress?: Progress): Promise<Sessions> {
  const acc = sessionCollector(
    'uci',
    UCI_MAPPING.map((m) => m.feature),
  );
  let first = true;
  for await (const { record, line } of readCsv(path, onProgress)) {
    if (first) {
      first = false;
      const wrong = header(record);
      if (wrong) throw new Error(`${path}: ${wrong.detail}`);
      continue;
    }
    const s = uciSession(record);
    if ('reason' in s) acc.drop(line, s);
    else acc.add(s.x, s.ordered, s.month);
  }
  return acc.finish();
}
