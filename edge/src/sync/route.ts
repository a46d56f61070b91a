import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { jsonBody, limitBody } from '../middleware/body.js';
import { storefrontCors } from '../middleware/cors.js';
import { enforceLimit, limitPerIp } from '../middleware/ratelimit.js';
import { requireSecret } from '../secrets.js';
import { syncKeys, wasErased } from './erased.js';
import { dropUnknownNames, readSync } from './intake.js';
import { knownNames } from './known-names.js';
import { networkSource } from './network-source.js';
import { recordBatch } from './store.js';

/** A shopper's aggregate is a few hundred bytes; 64 KiB leaves room for growth and none for abuse. */
const MAX_SYNC_BYTES = 64 * 1024;

/**
 * `POST /v1/sync`: idempotent intake of one shopper aggregate. First delivery 202, replay 200, either only
 * once the write has committed; a sync of an erased shopper (a replay, or a late retry) is answered 202 like
 * a stored one and stores nothing. Checks run cheapest first (origin, per-IP budget, size, JSON, the contract
 * in intake.ts, per-shopper budget, names no recent model defines), so every refusal happens before the
 * single write; concurrent syncs share that write's transaction (group commit). The answer names the
 * optional fields that were dropped, if any.
 *
 * @example
 * app.route('/v1/sync', syncRoutes);
 */
export const syncRoutes = new Hono<AppEnv>()
  .use('*', storefrontCors(['POST']))
  .post('/', limitPerIp(), limitBody(MAX_SYNC_BYTES), jsonBody(), async (c) => {
    const now = Date.now();
    const intake = readSync(await c.req.json(), now);
    await enforceLimit(c.env, 'RATE_LIMIT_SHOPPER', intake.sync.anonymousId);
    const keys = await syncKeys(requireSecret(c.env, 'ID_PEPPER'), intake.sync);
    const names = await knownNames(c.env, now, [intake.sync.segment, intake.sync.valueTier]);
    const { sync, dropped } = dropUnknownNames(intake, names);
    const source = await networkSource(c.env.DB, c.req.header('CF-Connecting-IP'));
    const stored = recordBatch(c.env.DB, { sync, source, dropped, keys, now });
    // This request may be handed the next group's write on behalf of others (group commit): it must make
    // that write even if its own client goes away, so the request lives until its part is done.
    c.executionCtx.waitUntil(stored.catch(() => undefined));
    const duplicate = (await stored) && !(await wasErased(c.env.DB, keys));
    return c.json({ ok: true, duplicate, ...(dropped.length ? { dropped } : {}) }, duplicate ? 200 : 202);
  });
