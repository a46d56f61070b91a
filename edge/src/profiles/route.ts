import { Hono } from 'hono';
import * as v from 'valibot';
import { SyncPayloadSchema } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';

interface ProfileRow {
  anonymous_id: string;
  user_id_hash: string | null;
  spec_hash: string;
  features: string;
  counts: string;
  segment: string | null;
  model_version: string | null;
  batches: number;
  sent_at: number;
  first_seen: number;
  updated_at: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The stored row in the API's camelCase, JSON columns parsed. */
function toProfile(r: ProfileRow) {
  return {
    anonymousId: r.anonymous_id,
    userIdHash: r.user_id_hash,
    specHash: r.spec_hash,
    features: JSON.parse(r.features) as number[],
    counts: JSON.parse(r.counts) as Record<string, number>,
    segment: r.segment,
    modelVersion: r.model_version,
    batches: r.batches,
    sentAt: iso(r.sent_at),
    firstSeen: iso(r.first_seen),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * `GET /v1/profiles/:anonymousId` (bearer token): one shopper's stored aggregate, for operators and tests.
 *
 * @example
 * app.route('/v1/profiles', profileRoutes);
 */
export const profileRoutes = new Hono<AppEnv>().get('/:anonymousId', requireToken(), async (c) => {
  const id = c.req.param('anonymousId');
  // Ids the SDK could never have sent cannot be stored; answer without a query.
  if (!v.is(SyncPayloadSchema.entries.anonymousId, id)) throw new EdgeError(404, 'not_found', 'No such profile');
  const row = await c.env.DB.prepare('SELECT * FROM profiles WHERE anonymous_id = ?').bind(id).first<ProfileRow>();
  if (!row) throw new EdgeError(404, 'not_found', 'No such profile');
  return c.json(toProfile(row));
});
