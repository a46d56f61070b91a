import { MAX_RECOMMENDATIONS, type Recommendations } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { capWeights, SOURCE_FLOOR, sourceOf } from '../stats/sources.js';

/** More than any model's segment count (the trainer picks at most 8). */
const MAX_SEGMENTS = 16;
/** A shopper first seen longer ago than this vouches for an interest alone; newer ones by their networks. */
export const ESTABLISHED_MS = DAY_MS;

// Sources holding more than the floor of the recently active shoppers: the only ones a cap can touch.
const HEAVY_SOURCES = `
SELECT src, n, total FROM (
  SELECT ${sourceOf('p')} AS src, COUNT(*) AS n, SUM(COUNT(*)) OVER () AS total
  FROM profiles p WHERE p.updated_at >= ?1 GROUP BY src
) WHERE n > ?2`;

// One pass over recently active shoppers' product interests (json_each over each profile's products, one
// entry per shopper and product even in rows stored before repeats were refused). Ranked by reach, the
// shoppers who share the interest weighted by their network source's cap (sources.ts), then by summed
// weight: one shopper with a thousand views cannot top a list, nor can one network with many ids. A product
// is listed only when ?1 vouch for it: a shopper first seen before ?5 vouches alone, newer shoppers only one
// per network source, so ids minted by one client a moment ago count once. Segment NULL rows only count
// towards everyone. Segment names come from browsers, so only the ?4 largest segments get lists.
const POPULAR = `
WITH recent AS (
  SELECT p.anonymous_id, p.segment, p.products, p.first_seen < ?5 AS established, ${sourceOf('p')} AS src,
         COALESCE(w.value, 1.0) AS w
  FROM profiles p LEFT JOIN json_each(?6) w ON w.key = ${sourceOf('p')}
  WHERE p.updated_at >= ?2
),
top_segments AS (
  SELECT segment FROM recent WHERE segment IS NOT NULL GROUP BY segment ORDER BY SUM(w) DESC, segment LIMIT ?4
),
interest AS (
  SELECT r.anonymous_id, r.segment, r.established, r.src, r.w, json_extract(j.value, '$.id') AS id,
         MAX(json_extract(j.value, '$.score')) AS score
  FROM recent r, json_each(r.products) j WHERE r.products IS NOT NULL
  GROUP BY r.anonymous_id, id
),
vouched AS (
  SELECT *, CASE WHEN established THEN 'a:' || anonymous_id ELSE src END AS voucher FROM interest
),
per_segment AS (
  SELECT segment, id, SUM(w) AS reach, SUM(score * w) AS weight FROM vouched
  WHERE segment IN (SELECT segment FROM top_segments) GROUP BY segment, id HAVING COUNT(DISTINCT voucher) >= ?1
),
overall AS (
  SELECT NULL AS segment, id, SUM(w) AS reach, SUM(score * w) AS weight FROM vouched
  GROUP BY id HAVING COUNT(DISTINCT voucher) >= ?1
),
ranked AS (
  SELECT segment, id, ROW_NUMBER() OVER (PARTITION BY segment ORDER BY reach DESC, weight DESC, id) AS rank
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
  const heavy = await db
    .prepare(HEAVY_SOURCES)
    .bind(opts.sinceMs, SOURCE_FLOOR)
    .all<{ src: string; n: number; total: number }>();
  const weights = JSON.stringify(capWeights(heavy.results.map((r) => ({ key: r.src, n: r.n, total: r.total }))));
  const { results } = await db
    .prepare(POPULAR)
    .bind(opts.minShoppers, opts.sinceMs, MAX_RECOMMENDATIONS, MAX_SEGMENTS, now - ESTABLISHED_MS, weights)
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
