import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';
import { droppedFields, MAX_STATS_DAYS, segmentMix, totals } from './counts.js';
import { driftReport } from './drift.js';
import { segmentProfiles } from './profiles.js';

function parseDays(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_STATS_DAYS)
    throw new EdgeError(400, 'invalid_days', `days must be an integer from 1 to ${MAX_STATS_DAYS}`);
  return n;
}

/**
 * Monitoring for the dashboard and the trainer (token): `GET /segments?days=30` (segment mix per day),
 * `GET /profiles?days=30` (each segment's shoppers: typical orders, spend and recency, mean predicted spend and
 * churn risk, tier mix, size), `GET /drift?days=7` (PSI per feature against the current manifest's
 * histograms), `GET /dropped?days=7` (optional sync fields dropped and stored NULL, per field), `GET /totals`.
 *
 * @example
 * app.route('/v1/stats', statsRoutes);
 */
export const statsRoutes = new Hono<AppEnv>()
  .use('*', requireToken())
  .get('/segments', async (c) => {
    const days = parseDays(c.req.query('days'), 30);
    return c.json({ days, series: await segmentMix(c.env.DB, Date.now(), days) });
  })
  .get('/profiles', async (c) =>
    c.json(await segmentProfiles(c.env.DB, Date.now(), parseDays(c.req.query('days'), 30))),
  )
  .get('/drift', async (c) => c.json(await driftReport(c.env, Date.now(), parseDays(c.req.query('days'), 7))))
  .get('/dropped', async (c) => c.json(await droppedFields(c.env.DB, Date.now(), parseDays(c.req.query('days'), 7))))
  .get('/totals', async (c) => c.json(await totals(c.env)));
