import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { EdgeError, errorResponse } from './errors.js';
import { currentVersion } from './models/registry.js';
import { modelRoutes } from './models/route.js';
import { profileRoutes } from './profiles/route.js';
import { syncRoutes } from './sync/route.js';

/**
 * The worker: every route group mounted under one error handler, so every failure has the same JSON shape.
 *
 * @example
 * const res = await app.request('/healthz', {}, env);
 */
export const app = new Hono<AppEnv>()
  .get('/healthz', async (c) => c.json({ ok: true, model: await currentVersion(c.env.KV) }))
  .route('/v1/sync', syncRoutes)
  .route('/v1/models', modelRoutes)
  .route('/v1/profiles', profileRoutes)
  .notFound((c) => errorResponse(new EdgeError(404, 'not_found', 'No such route'), c))
  .onError(errorResponse);
