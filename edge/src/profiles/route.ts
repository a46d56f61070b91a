import { Hono } from 'hono';
import * as v from 'valibot';
import { SyncPayloadSchema } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';
import { storefrontCors } from '../middleware/cors.js';
import { limitPerIp } from '../middleware/ratelimit.js';
import { requireSecret } from '../secrets.js';
import { eraseShopper, eraseUser } from './erase.js';
import type { ProfileRow } from './row.js';
import { storedUserKey } from './user-keys.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The stored row in the API's camelCase, JSON columns parsed; `userIdHash` is the keyed user id. */
function toProfile(r: ProfileRow, userIdHash: string | null) {
  return {
    anonymousId: r.anonymous_id,
    userIdHash,
    specHash: r.spec_hash,
    features: JSON.parse(r.features) as number[],
    counts: JSON.parse(r.counts) as Record<string, number>,
    segment: r.segment,
    modelVersion: r.model_version,
    valueTier: r.value_tier,
    churnRisk: r.churn_risk,
    predictedSpend: r.predicted_spend,
    products: r.products === null ? [] : (JSON.parse(r.products) as { id: string; score: number }[]),
    batches: r.batches,
    sentAt: iso(r.sent_at),
    firstSeen: iso(r.first_seen),
    updatedAt: iso(r.updated_at),
  };
}

const isAnonymousId = (id: string) => v.is(SyncPayloadSchema.entries.anonymousId, id);
const isUserIdHash = (hash: string) => v.is(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)), hash);

/**
 * Shopper data by id. `GET /:anonymousId` (token) reads one stored aggregate. `DELETE /:anonymousId` needs
 * no token: the random UUID lives only in the shopper's browser, so knowing it is the capability, and the
 * SDK's forget() calls it from the storefront (CORS per ALLOWED_ORIGINS). `DELETE /?userIdHash=` (token)
 * erases everything linked to a signed-in person, for requests that arrive by other channels; it takes the
 * browser's hash (what the shop can compute from the user id), never the keyed one. Both leave tombstones,
 * so the erased shopper's syncs are answered and dropped from then on.
 *
 * @example
 * app.route('/v1/profiles', profileRoutes);
 */
export const profileRoutes = new Hono<AppEnv>()
  .use('/:anonymousId', storefrontCors(['DELETE']))
  .get('/:anonymousId', requireToken(), async (c) => {
    const id = c.req.param('anonymousId');
    // Ids the SDK could never have sent cannot be stored; answer without a query.
    if (!isAnonymousId(id)) throw new EdgeError(404, 'not_found', 'No such profile');
    const row = await c.env.DB.prepare('SELECT * FROM profiles WHERE anonymous_id = ?').bind(id).first<ProfileRow>();
    if (!row) throw new EdgeError(404, 'not_found', 'No such profile');
    return c.json(toProfile(row, await storedUserKey(requireSecret(c.env, 'ID_PEPPER'), row)));
  })
  .delete('/:anonymousId', limitPerIp(), async (c) => {
    const id = c.req.param('anonymousId');
    if (!isAnonymousId(id)) throw new EdgeError(400, 'invalid_id', 'anonymousId must be a UUID');
    // 204 whether or not anything was stored: the outcome the shopper asked for holds either way.
    await eraseShopper(c.env.DB, requireSecret(c.env, 'ID_PEPPER'), id, Date.now());
    return c.body(null, 204);
  })
  .delete('/', requireToken(), async (c) => {
    const hash = c.req.query('userIdHash') ?? '';
    if (!isUserIdHash(hash)) throw new EdgeError(400, 'invalid_id', 'userIdHash must be 64 lowercase hex characters');
    return c.json(await eraseUser(c.env.DB, requireSecret(c.env, 'ID_PEPPER'), hash, Date.now()));
  });
