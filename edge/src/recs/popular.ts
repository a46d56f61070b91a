import { MAX_RECOMMENDATIONS, type Recommendations } from '../../../sdk/src/contract/index.js';

/** More than any model's segment count (the trainer picks at most 8). */
const MAX_SEGMENTS = 16;

// One pass over recently active shoppers' product interests (json_each over each profile's products).
// Ranked by how many distinct shoppers share the interest, then by its summed weight: reach first, so one
// shopper with a thousand views cannot top a list. Products fewer than ?1 shoppers share are left out.
// Segment NULL rows only count towards everyone. Segment names come from browsers, so only the ?4 largest
// segments get lists: made-up names synced by a few scripted clients cannot grow the table without bound.
const POPULAR = `
WITH top_segments AS (
  SELECT segment FROM profiles WHERE updated_at >= ?2 AND segment IS NOT NULL
  GROUP BY segment ORDER BY COUNT(*) DESC LIMIT ?4
),
interest AS (
  SELECT p.segment AS segment, json_extract(j.value, '$.id') AS id, json_extract(j.value, '$.score') AS score
  FROM profiles p, json_each(p.products) j
  WHERE p.products IS NOT NULL AND p.updated_at >= ?2
),
per_segment AS (
  SELECT segment, id, COUNT(*) AS shoppers, SUM(score) AS weight FROM interest
  WHERE segment IN (SELECT segment FROM top_segments) GROUP BY segment, id HAVING COUNT(*) >= ?1
),
overall AS (
  SELECT NULL AS segment, id, COUNT(*) AS shoppers, SUM(score) AS weight FROM interest GROUP BY id HAVING COUNT(*) >= ?1
),
ranked AS (
  SELECT segment, id, ROW_NUMBER() OVER (PARTITION BY segment ORDER BY shoppers DESC, weight DESC, id) AS rank
  FROM (SELECT * FROM per_segment UNION ALL SELECT * FROM overall)
)
SELECT segment, id FROM ranked WHERE rank <= ?3 ORDER BY segment, rank`;

/**
 * Computes the recommendations table from stored aggregates.
 *
 * @example
 * const recs = await popularProducts(env.DB, { minShoppers: 3, sinceMs: Date.now() - 30 * 86_400_000 }, Date.now());
 */
export async function popularProducts(
  db: D1Database,
  opts: { minShoppers: number; sinceMs: number },
  now: number,
): Promise<Recommendations> {
  const { results } = await db
    .prepare(POPULAR)
    .bind(opts.minShoppers, opts.sinceMs, MAX_RECOMMENDATIONS, MAX_SEGMENTS)
    .all<{ segment: string | null; id: string }>();
  const everyone: string[] = [];
  // A Map, not an object: a segment named "__proto__" must stay a name.
  const segments = new Map<string, string[]>();
  for (const r of results) {
    if (r.segment === null) everyone.push(r.id);
    else segments.set(r.segment, [...(segments.get(r.segment) ?? []), r.id]);
  }
  return {
    generatedAt: new Date(now).toISOString(),
    minShoppers: opts.minShoppers,
    everyone,
    segments: Object.fromEntries(segments),
  };
}
