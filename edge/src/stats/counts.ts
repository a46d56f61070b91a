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

/** The longest window `GET /v1/stats` answers for, and so how long a day's rolled-up mix is kept. */
export const MAX_STATS_DAYS = 366;

/** Batch ids received from ?1 (inclusive) to ?3 (exclusive). */
const RANGE = 'b.received_at >= ?1 AND b.received_at < ?3';
/** A batch id's source (see sources.ts); its shopper is the profile's rowid. */
const SOURCE = sourceOf('b', 'b.shopper');

// Per day, the sources above the floor (the only ones a cap can touch), with that day's distinct shoppers.
const HEAVY_SOURCES = `
SELECT day, src, n, total FROM (
  SELECT received_at / ${DAY} AS day, ${SOURCE} AS src, COUNT(DISTINCT b.shopper) AS n,
         SUM(COUNT(DISTINCT b.shopper)) OVER (PARTITION BY received_at / ${DAY}) AS total
  FROM batch_ids b WHERE ${RANGE} GROUP BY day, src
) WHERE n > ?2`;

// Each shopper once per segment per day, weighted by their source's cap that day (?2: {"day|source": w}).
const MIX = `
WITH seen AS (
  SELECT received_at / ${DAY} AS day, b.shopper, COALESCE(b.segment, '${NO_SEGMENT}') AS segment,
         MIN(${SOURCE}) AS src
  FROM batch_ids b WHERE ${RANGE} GROUP BY day, b.shopper, segment
)
SELECT s.day, s.segment, SUM(COALESCE(w.value, 1.0)) AS shoppers, MIN(COALESCE(w.value, 1.0)) < 1 AS capped
FROM seen s LEFT JOIN json_each(?2) w ON w.key = s.day || '|' || s.src
GROUP BY s.day, s.segment ORDER BY s.day, s.segment`;

/** One day and segment of the mix: weighted shoppers, and whether a source was counted down to its share. */
interface MixRow {
  day: number;
  segment: string;
  shoppers: number;
  capped: number;
}

/** The capped mix of the batch ids received in [from, to), per day and segment. */
async function mixOfBatches(db: D1Database, from: number, to: number): Promise<MixRow[]> {
  const heavy = await db
    .prepare(HEAVY_SOURCES)
    .bind(from, SOURCE_FLOOR, to)
    .all<{ day: number; src: string; n: number; total: number }>();
  const weights = capWeights(heavy.results.map((r) => ({ key: `${r.day}|${r.src}`, n: r.n, total: r.total })));
  const { results } = await db.prepare(MIX).bind(from, JSON.stringify(weights), to).all<MixRow>();
  return results;
}

/** Days before this one are in `segment_days`; this one and later are counted from batch ids. */
async function firstLiveDay(db: D1Database): Promise<number> {
  const row = await db.prepare('SELECT COALESCE(MAX(day) + 1, 0) AS day FROM segment_days').first<{ day: number }>();
  return row!.day;
}

/** Weighted counts are shown to a tenth of a shopper. */
const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * Segment mix per UTC day over the last `days` days, from the batches received (each shopper counted once
 * per segment per day, one network source capped at its share of the day: see sources.ts). Days that are
 * over come from their roll-up (made while the day's sources were still known), today from its batch ids.
 *
 * @example
 * const series = await segmentMix(env.DB, Date.now(), 30);
 */
export async function segmentMix(db: D1Database, now: number, days: number): Promise<SegmentDay[]> {
  const sinceDay = Math.floor(now / DAY) - days + 1;
  const live = Math.max(sinceDay, await firstLiveDay(db));
  const { results: rolled } = await db
    .prepare('SELECT day, segment, shoppers, capped FROM segment_days WHERE day >= ? AND day < ? ORDER BY day, segment')
    .bind(sinceDay, live)
    .all<MixRow>();
  const results = [...rolled, ...(await mixOfBatches(db, live * DAY, Number.MAX_SAFE_INTEGER))];
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

/**
 * Rolls the mix of every day not rolled up yet into `segment_days`, up to yesterday, or up to the day holding
 * `cutoff` if that is later: a day is rolled up once it is over, while its network sources are still known
 * (they are cleared after a week), and in any case before its batch ids older than `cutoff` go. Returns the
 * rows written (days × segments).
 *
 * @example
 * await rollUpSegmentMix(env.DB, Date.now(), Date.now() - 8 * 86_400_000);
 */
export async function rollUpSegmentMix(db: D1Database, now: number, cutoff: number): Promise<number> {
  const from = (await firstLiveDay(db)) * DAY;
  const to = Math.max(Math.floor(now / DAY), Math.floor(cutoff / DAY) + 1) * DAY;
  if (from >= to) return 0;
  const rows = await mixOfBatches(db, from, to);
  if (rows.length === 0) return 0;
  // One statement for all of them: the rows travel as one JSON parameter.
  const { meta } = await db
    .prepare(
      `INSERT INTO segment_days (day, segment, shoppers, capped)
       SELECT r.value ->> 'day', r.value ->> 'segment', r.value ->> 'shoppers', r.value ->> 'capped' FROM json_each(?) r`,
    )
    .bind(JSON.stringify(rows))
    .run();
  return meta.changes;
}

/**
 * Deletes rolled-up days older than any window the stats answer for.
 *
 * @example
 * await purgeSegmentDays(env.DB, Date.now());
 */
export async function purgeSegmentDays(db: D1Database, now: number): Promise<void> {
  await db
    .prepare('DELETE FROM segment_days WHERE day < ?')
    .bind(Math.floor(now / DAY) - MAX_STATS_DAYS)
    .run();
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
 * registry does not know, an SDK sending what the contract refuses, or someone making things up. Counted
 * from batch ids, so it reaches back `BATCH_RETENTION_DAYS` at most.
 *
 * @example
 * const { syncs, fields } = await droppedFields(env.DB, Date.now(), 7);
 */
export async function droppedFields(db: D1Database, now: number, days: number): Promise<DroppedFields> {
  const since = now - days * DAY;
  const [fields, syncs] = await db.batch<{ field: string; n: number }>([
    db
      .prepare(
        `SELECT j.value AS field, COUNT(*) AS n FROM batch_ids b, json_each(b.dropped) j
         WHERE b.received_at >= ? AND b.dropped IS NOT NULL GROUP BY field ORDER BY field`,
      )
      .bind(since),
    db.prepare('SELECT COUNT(*) AS n FROM batch_ids WHERE received_at >= ? AND dropped IS NOT NULL').bind(since),
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
  /** Batch ids held for idempotency (the last `BATCH_RETENTION_DAYS`). */
  syncBatches: number;
  /** Erasure tombstones held. */
  erasures: number;
  /** The database's size as D1 reports it (`size_after`), in bytes: what counts against its 10 GB. */
  databaseBytes: number;
  models: number;
  currentModel: string | null;
  blocksVersion: number;
}

/**
 * @example
 * const { profiles } = await totals(env);
 */
export async function totals(env: Env): Promise<Totals> {
  const [{ results, meta }, currentModel] = await Promise.all([
    env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM profiles) AS profiles, (SELECT COUNT(*) FROM batch_ids) AS syncBatches,
              (SELECT COUNT(*) FROM erasures) AS erasures, (SELECT COUNT(*) FROM models) AS models,
              (SELECT COALESCE(MAX(version), 0) FROM block_configs) AS blocksVersion`,
    ).all<Omit<Totals, 'currentModel' | 'databaseBytes'>>(),
    currentVersion(env.KV),
  ]);
  return { ...results[0]!, databaseBytes: meta.size_after, currentModel };
}
