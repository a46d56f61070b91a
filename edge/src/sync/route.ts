import { Hono } from 'hono';
import { FEATURE_NAMES, FEATURE_SPEC, SyncPayloadSchema } from '../../../sdk/src/contract/index.js';
import type { SyncPayload } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { jsonBody, limitBody, validJson } from '../middleware/body.js';
import { storefrontCors } from '../middleware/cors.js';
import { enforceLimit, limitPerIp } from '../middleware/ratelimit.js';
import { requireSecret } from '../secrets.js';
import { syncKeys, wasErased } from './erased.js';
import { recordBatch } from './store.js';

/** A shopper's aggregate is a few hundred bytes; 64 KiB leaves room for growth and none for abuse. */
const MAX_SYNC_BYTES = 64 * 1024;

/** Vectors built by another feature definition would poison every model trained on them. */
function assertSpec(p: SyncPayload): void {
  if (
    p.specVersion !== FEATURE_SPEC.version ||
    p.specHash !== FEATURE_SPEC.hash ||
    p.features.length !== FEATURE_NAMES.length
  ) {
    throw new EdgeError(
      409,
      'spec_mismatch',
      `Expected spec v${FEATURE_SPEC.version} ${FEATURE_SPEC.hash} with ${FEATURE_NAMES.length} features, ` +
        `got v${p.specVersion} ${p.specHash} with ${p.features.length}`,
    );
  }
}

/**
 * `POST /v1/sync`: idempotent intake of one shopper aggregate. First delivery 202, replay 200, either only
 * once the write has committed; a sync of an erased shopper (a replay, or a late retry) is answered 202 like
 * a stored one and stores nothing. Checks run cheapest first (origin, per-IP budget, size, JSON, schema, spec,
 * per-shopper budget), so every refusal happens before the single write; concurrent syncs share that write's
 * transaction (group commit).
 *
 * @example
 * app.route('/v1/sync', syncRoutes);
 */
export const syncRoutes = new Hono<AppEnv>()
  .use('*', storefrontCors(['POST']))
  .post('/', limitPerIp(), limitBody(MAX_SYNC_BYTES), jsonBody(), validJson(SyncPayloadSchema), async (c) => {
    const payload = c.req.valid('json');
    assertSpec(payload);
    await enforceLimit(c.env, 'RATE_LIMIT_SHOPPER', payload.anonymousId);
    const keys = await syncKeys(requireSecret(c.env, 'ID_PEPPER'), payload);
    const stored = recordBatch(c.env.DB, payload, keys, Date.now());
    // This request may be handed the next group's write on behalf of others (group commit): it must make
    // that write even if its own client goes away, so the request lives until its part is done.
    c.executionCtx.waitUntil(stored.catch(() => undefined));
    const duplicate = (await stored) && !(await wasErased(c.env.DB, keys));
    return c.json({ ok: true, duplicate }, duplicate ? 200 : 202);
  });
