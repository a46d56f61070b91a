import { Hono } from 'hono';
import * as v from 'valibot';
import type { BlockConfig } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';
import { jsonBody, limitBody, validJson } from '../middleware/body.js';
import { publicCors } from '../middleware/cors.js';
import { notModified } from '../middleware/etag.js';
import { blockPolicy, checkedConfig } from './sanitize.js';
import { configVersion, currentConfig, listVersions, saveConfig } from './store.js';

/** Room for dozens of blocks with a 20 000-character HTML variant per segment; beyond that is a mistake. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const RevertSchema = v.strictObject({ version: v.pipe(v.number(), v.integer(), v.minValue(1)) });

/** Versions only ever increase and a revert is a new version, so the number alone identifies the content. */
const etagOf = (config: BlockConfig) => `"blocks-${config.version}"`;

function parseVersion(raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new EdgeError(404, 'not_found', 'No such block configuration version');
  return n;
}

/**
 * Block configuration: `GET /` is public (the SDK revalidates it with `If-None-Match` on every page load);
 * saving, history and revert need the token.
 *
 * @example
 * app.route('/v1/blocks', blockRoutes);
 */
export const blockRoutes = new Hono<AppEnv>()
  .use('/', publicCors())
  .get('/', async (c) => {
    const config = await currentConfig(c.env.DB);
    const etag = etagOf(config);
    // no-cache: browsers keep a copy but ask every time, so a merchandiser's save shows on the next load.
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    return c.json(config);
  })
  .put('/', requireToken(), limitBody(MAX_CONFIG_BYTES), jsonBody(), async (c) => {
    const config = checkedConfig(await c.req.json(), blockPolicy(c.env));
    const saved = await saveConfig(c.env.DB, config, Date.now(), c.get('publisher'));
    c.header('ETag', etagOf(saved));
    return c.json(saved);
  })
  .get('/versions', requireToken(), async (c) => {
    const [config, versions] = await Promise.all([currentConfig(c.env.DB), listVersions(c.env.DB)]);
    return c.json({ current: config.version, versions });
  })
  .get('/versions/:version', requireToken(), async (c) => {
    const config = await configVersion(c.env.DB, parseVersion(c.req.param('version')));
    if (!config) throw new EdgeError(404, 'not_found', 'No such block configuration version');
    return c.json(config);
  })
  .post('/revert', requireToken(), limitBody(1024), jsonBody(), validJson(RevertSchema), async (c) => {
    const { version } = c.req.valid('json');
    const [old, current] = await Promise.all([configVersion(c.env.DB, version), currentConfig(c.env.DB)]);
    if (!old) throw new EdgeError(404, 'not_found', `Block configuration version ${version} does not exist`);
    // Through the same gate as a save: a version stored under an older, looser policy is cleaned again.
    const config = checkedConfig({ ...old, version: current.version + 1 }, blockPolicy(c.env));
    const saved = await saveConfig(c.env.DB, config, Date.now(), c.get('publisher'), version);
    c.header('ETag', etagOf(saved));
    return c.json(saved);
  });
