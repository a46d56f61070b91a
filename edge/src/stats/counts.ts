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

/**
 * Segment mix per UTC day over the last `days` days, from the batches received (each shopper counted once
 * per segment per day). History reaches back as far as retention keeps batch rows.
 *
 * @example
 * const series = await segmentMix(env.DB, Date.now(), 30);
 */
export async function segmentMix(db: D1Database, now: number, days: number): Promise<SegmentDay[]> {
  const dayMs = 86_400_000;
  const since = (Math.floor(now / dayMs) - days + 1) * dayMs;
  const { results } = await db
    .prepare(
      `SELECT received_at / ${dayMs} AS day, COALESCE(segment, '${NO_SEGMENT}') AS segment, COUNT(DISTINCT anonymous_id) AS shoppers
       FROM sync_batches WHERE received_at >= ? GROUP BY day, segment ORDER BY day, segment`,
    )
    .bind(since)
    .all<{ day: number; segment: string; shoppers: number }>();
  const byDay = new Map<number, SegmentDay>();
  for (const r of results) {
    const entry = byDay.get(r.day) ?? {
      day: new Date(r.day * dayMs).toISOString().slice(0, 10),
      total: 0,
      segments: {},
    };
    entry.segments[r.segment] = r.shoppers;
    entry.total += r.shoppers;
    byDay.set(r.day, entry);
  }
  return [...byDay.values()];
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
