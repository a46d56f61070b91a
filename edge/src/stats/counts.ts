import { currentVersion } from '../models/registry.js';
import type { Env } from '../env.js';
import { capWeights, SOURCE_FLOOR, sourceOf } from './sources.js';

/** One day of the segment mix: distinct shoppers per segment reported that day (UTC). */
export interface SegmentDay {
  day: string;
  total: number;
  segments: Record<string, number>;
  /** True when some network source made up more than its share that day and was counted down to it. */
  capped: boolean;
}

/** Segment label for batches sent before the SDK had a model. */
export const NO_SEGMENT = '(none)';

const DAY = 86_400_000;

// Per day, the sources above the floor (the only ones a cap can touch), with that day's distinct shoppers.
const HEAVY_SOURCES = `
SELECT day, src, n, total FROM (
  SELECT received_at / ${DAY} AS day, ${sourceOf('b')} AS src, COUNT(DISTINCT b.anonymous_id) AS n,
         SUM(COUNT(DISTINCT b.anonymous_id)) OVER (PARTITION BY received_at / ${DAY}) AS total
  FROM sync_batches b WHERE received_at >= ?1 GROUP BY day, src
) WHERE n > ?2`;

// Each shopper once per segment per day, weighted by their source's cap that day (?2: {"day|source": w}).
const MIX = `
WITH seen AS (
  SELECT received_at / ${DAY} AS day, b.anonymous_id, COALESCE(b.segment, '${NO_SEGMENT}') AS segment,
         MIN(${sourceOf('b')}) AS src
  FROM sync_batches b WHERE received_at >= ?1 GROUP BY day, b.anonymous_id, segment
)
SELECT s.day, s.segment, SUM(COALESCE(w.value, 1.0)) AS shoppers, MIN(COALESCE(w.value, 1.0)) < 1 AS capped
FROM seen s LEFT JOIN json_each(?2) w ON w.key = s.day || '|' || s.src
GROUP BY s.day, s.segment ORDER BY s.day, s.segment`;

/** Weighted counts are shown to a tenth of a shopper. */
const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * Segment mix per UTC day over the last `days` days, from the batches received (each shopper counted once
 * per segment per day, one network source capped at its share of the day: see sources.ts). History reaches
 * back as far as retention keeps batch rows; sources are kept a week, so older days are not capped.
 *
 * @example
 * const series = await segmentMix(env.DB, Date.now(), 30);
 */
export async function segmentMix(db: D1Database, now: number, days: number): Promise<SegmentDay[]> {
  const since = (Math.floor(now / DAY) - days + 1) * DAY;
  const heavy = await db
    .prepare(HEAVY_SOURCES)
    .bind(since, SOURCE_FLOOR)
    .all<{ day: number; src: string; n: number; total: number }>();
  const weights = capWeights(heavy.results.map((r) => ({ key: `${r.day}|${r.src}`, n: r.n, total: r.total })));
  const { results } = await db
    .prepare(MIX)
    .bind(since, JSON.stringify(weights))
    .all<{ day: number; segment: string; shoppers: number; capped: number }>();
  const byDay = new Map<number, { day: string; total: number; segments: Map<string, number>; capped: boolean }>();
  for (const r of results) {
    const entry = byDay.get(r.day) ?? {
      day: new Date(r.day * DAY).toISOString().slice(0, 10),
      total: 0,
      segments: new Map<string, number>(),
      capped: false,
    };
    // A Map until the end: a segment named "__proto__" or "constructor" must stay a name.
    entry.segments.set(r.segment, tenth(r.shoppers));
    entry.total = tenth(entry.total + r.shoppers);
    entry.capped ||= r.capped === 1;
    byDay.set(r.day, entry);
  }
  return [...byDay.values()].map((d) => ({ ...d, segments: Object.fromEntries(d.segments) }));
}

/** Optional sync fields the edge dropped (stored NULL) because it could not accept them. */
export interface DroppedFields {
  days: number;
  since: string;
  /** Syncs that had at least one field dropped. */
  syncs: number;
  /** Drops per field name (`segment`, `valueTier`, `products`, …). */
  fields: Record<string, number>;
}

/**
 * How many syncs in the last `days` days had optional fields dropped, and which: a model reporting names the
 * registry does not know, an SDK sending what the contract refuses, or someone making things up.
 *
 * @example
 * const { syncs, fields } = await droppedFields(env.DB, Date.now(), 7);
 */
export async function droppedFields(db: D1Database, now: number, days: number): Promise<DroppedFields> {
  const since = now - days * DAY;
  const [fields, syncs] = await db.batch<{ field: string; n: number }>([
    db
      .prepare(
        `SELECT j.value AS field, COUNT(*) AS n FROM sync_batches b, json_each(b.dropped) j
         WHERE b.received_at >= ? AND b.dropped IS NOT NULL GROUP BY field ORDER BY field`,
      )
      .bind(since),
    db.prepare('SELECT COUNT(*) AS n FROM sync_batches WHERE received_at >= ? AND dropped IS NOT NULL').bind(since),
  ]);
  return {
    days,
    since: new Date(since).toISOString(),
    syncs: syncs!.results[0]?.n ?? 0,
    fields: Object.fromEntries(fields!.results.map((r) => [r.field, r.n])),
  };
}

/** Row counts and live pointers: the operator's one-glance view, and what tests compare for "no change". */
export interface Totals {
  profiles: number;
  syncBatches: number;
  models: number;
  currentModel: string | null;
  blocksVersion: number;
}

/**
 * @example
 * const { profiles } = await totals(env);
 */
export async function totals(env: Env): Promise<Totals> {
  const [row, currentModel] = await Promise.all([
    env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM profiles) AS profiles, (SELECT COUNT(*) FROM sync_batches) AS syncBatches,
              (SELECT COUNT(*) FROM models) AS models, (SELECT COALESCE(MAX(version), 0) FROM block_configs) AS blocksVersion`,
    ).first<Omit<Totals, 'currentModel'>>(),
    currentVersion(env.KV),
  ]);
  return { ...row!, currentModel };
}
