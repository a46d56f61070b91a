import { currentVersion } from '../models/registry.js';
import type { Env } from '../env.js';

/** One day of the segment mix: distinct shoppers per segment reported that day (UTC). */
export interface SegmentDay {
  day: string;
  total: number;
  segments: Record<string, number>;
}

/** Segment label for batches sent before the SDK had a model. */
export const NO_SEGMENT = '(none)';

const DAY_MS = 86_400_000;

/** The longest window `GET /v1/stats` answers for, and so how long a day's rolled-up mix is kept. */
export const MAX_STATS_DAYS = 366;

/** Distinct shoppers per UTC day and segment among the batch ids a `WHERE` on `batch_ids` selects. */
const mixOfBatches = (where: string) =>
  `SELECT received_at / ${DAY_MS} AS day, COALESCE(segment, '${NO_SEGMENT}') AS segment,
          COUNT(DISTINCT shopper) AS shoppers
   FROM batch_ids WHERE ${where} GROUP BY day, segment`;

/** The first day not yet rolled up: days before it are read from `segment_days`, the rest from batch ids. */
const FIRST_LIVE_DAY = '(SELECT COALESCE(MAX(day) + 1, 0) FROM segment_days)';

/**
 * Segment mix per UTC day over the last `days` days, from the batches received (each shopper counted once
 * per segment per day): days whose batch ids have started to expire from the roll-up, later days straight
 * from the batch ids.
 *
 * @example
 * const series = await segmentMix(env.DB, Date.now(), 30);
 */
export async function segmentMix(db: D1Database, now: number, days: number): Promise<SegmentDay[]> {
  const sinceDay = Math.floor(now / DAY_MS) - days + 1;
  const { results } = await db
    .prepare(
      `SELECT day, segment, shoppers FROM segment_days WHERE day >= ?1
       UNION ALL
       ${mixOfBatches(`received_at >= MAX(?1, ${FIRST_LIVE_DAY}) * ${DAY_MS}`)}
       ORDER BY day, segment`,
    )
    .bind(sinceDay)
    .all<{ day: number; segment: string; shoppers: number }>();
  const byDay = new Map<number, SegmentDay>();
  for (const r of results) {
    const entry = byDay.get(r.day) ?? {
      day: new Date(r.day * DAY_MS).toISOString().slice(0, 10),
      total: 0,
      segments: {},
    };
    entry.segments[r.segment] = r.shoppers;
    entry.total += r.shoppers;
    byDay.set(r.day, entry);
  }
  return [...byDay.values()];
}

/**
 * Rolls the segment mix of every day not rolled up yet, up to the day holding `cutoff`, into `segment_days`:
 * the sweep calls it just before deleting the batch ids older than `cutoff`, so each day is rolled up while
 * all its batch ids are still there. Returns the rows written (days × segments).
 *
 * @example
 * await rollUpSegmentMix(env.DB, Date.now() - 8 * 86_400_000);
 */
export async function rollUpSegmentMix(db: D1Database, cutoff: number): Promise<number> {
  const { meta } = await db
    .prepare(
      `INSERT INTO segment_days (day, segment, shoppers)
       ${mixOfBatches(`received_at >= ${FIRST_LIVE_DAY} * ${DAY_MS} AND received_at < (?1 / ${DAY_MS} + 1) * ${DAY_MS}`)}`,
    )
    .bind(cutoff)
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
    .bind(Math.floor(now / DAY_MS) - MAX_STATS_DAYS)
    .run();
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
