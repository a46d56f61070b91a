import { Hono } from 'hono';
import type { ExportRow } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';
import type { ProfileRow } from '../profiles/row.js';
import { storedUserKey } from '../profiles/user-keys.js';
import { requireSecret } from '../secrets.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const DEFAULT_LIMIT = 1_000;
/** A page of 5 000 rows is about 2.5 MB of NDJSON: one D1 read well inside its limits. */
const MAX_LIMIT = 5_000;

/** Header carrying the cursor of the next page; absent on the last page. */
export const NEXT_CURSOR_HEADER = 'Shoal-Next-Cursor';

/** The columns the export reads. */
type Row = Pick<
  ProfileRow,
  | 'anonymous_id'
  | 'user_id_hash'
  | 'user_key'
  | 'spec_hash'
  | 'features'
  | 'counts'
  | 'segment'
  | 'model_version'
  | 'sent_at'
  | 'updated_at'
>;

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_LIMIT)
    throw new EdgeError(400, 'invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return n;
}

const toRow = (r: Row, userIdHash: string | null): ExportRow => ({
  anonymousId: r.anonymous_id,
  userIdHash,
  specHash: r.spec_hash,
  features: JSON.parse(r.features) as number[],
  counts: JSON.parse(r.counts) as ExportRow['counts'],
  segment: r.segment,
  modelVersion: r.model_version,
  sentAt: r.sent_at,
  updatedAt: r.updated_at,
});

/**
 * `GET /v1/export?limit=&cursor=` (token): the stored aggregates as NDJSON (`application/x-ndjson`), one
 * ExportRow per line, ordered by anonymous id. While `Shoal-Next-Cursor` is present, pass it as `cursor`
 * for the next page. `userIdHash` is the keyed user id (see `userKey`), never the browser's plain hash.
 *
 * @example
 * app.route('/v1/export', exportRoutes);
 */
export const exportRoutes = new Hono<AppEnv>().get('/', requireToken(), async (c) => {
  const limit = parseLimit(c.req.query('limit'));
  const pepper = requireSecret(c.env, 'ID_PEPPER');
  const after = decodeCursor(c.req.query('cursor'));
  // One row beyond the page tells whether another page exists without a COUNT.
  const { results } = await c.env.DB.prepare(
    `SELECT anonymous_id, user_id_hash, user_key, spec_hash, features, counts, segment, model_version, sent_at, updated_at
     FROM profiles WHERE anonymous_id > ? ORDER BY anonymous_id LIMIT ?`,
  )
    .bind(after ?? '', limit + 1)
    .all<Row>();
  const page = results.slice(0, limit);
  if (results.length > limit) c.header(NEXT_CURSOR_HEADER, encodeCursor(page[page.length - 1]!.anonymous_id));
  c.header('Content-Type', 'application/x-ndjson');
  c.header('Cache-Control', 'no-store');
  const rows = await Promise.all(page.map(async (r) => toRow(r, await storedUserKey(pepper, r))));
  return c.body(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
});
