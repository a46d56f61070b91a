import { Hono } from 'hono';
import { blockRoutes } from './blocks/route.js';
import { dashboardRoutes } from './dashboard/route.js';
import type { AppEnv } from './env.js';
import { EdgeError, errorResponse } from './errors.js';
import { exportRoutes } from './export/route.js';
import { currentVersion } from './models/registry.js';
import { modelRoutes } from './models/route.js';
import { profileRoutes } from './profiles/route.js';
import { recsRoutes } from './recs/route.js';
import { statsRoutes } from './stats/route.js';
import { syncRoutes } from './sync/route.js';

/**
 * The worker's HTTP side: every route group mounted under one error handler, so every failure has the
 * same JSON shape.
 *
 * @example
 * const res = await app.request('/healthz', {}, env);
 */
export const app = new Hono<AppEnv>()
  .get('/healthz', async (c) => c.json({ ok: true, model: await currentVersion(c.env.KV) }))
  .route('/v1/sync', syncRoutes)
  .route('/v1/models', modelRoutes)
  .route('/v1/blocks', blockRoutes)
  .route('/v1/profiles', profileRoutes)
  .route('/v1/recommendations', recsRoutes)
  .route('/v1/export', exportRoutes)
  .route('/v1/stats', statsRoutes)
  .route('/dashboard', dashboardRoutes)
  .notFound((c) => errorResponse(new EdgeError(404, 'not_found', 'No such route'), c))
  .onError(errorResponse);
