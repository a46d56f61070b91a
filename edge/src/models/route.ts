import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { requireToken } from '../middleware/auth.js';
import { limitBody } from '../middleware/body.js';
import { publicCors } from '../middleware/cors.js';
import { isModelFile, isVersion, MODEL_FILES, modelKey } from './files.js';
import type { ModelFile } from './files.js';
import { currentVersion, listModels, publishModel, rollbackModel } from './registry.js';
import { readUpload } from './upload.js';

/** The manifest caps weights at 16 MiB; the JSON parts are small beside them. */
const MAX_PUBLISH_BYTES = 16 * 1024 * 1024;

/**
 * Streams one model file from R2. R2 evaluates `If-None-Match` itself (`onlyIf` with the request's
 * headers) and then returns the object without a body, which becomes a 304.
 */
async function serveFile(
  bucket: R2Bucket,
  req: Request,
  version: string,
  file: ModelFile,
  cacheControl: string,
): Promise<Response> {
  const object = await bucket.get(modelKey(version, file), { onlyIf: req.headers });
  if (!object) throw new EdgeError(404, 'not_found', `No ${file} for version ${version}`);
  const headers = { 'Cache-Control': cacheControl, ETag: object.httpEtag };
  if (!('body' in object)) return new Response(null, { status: 304, headers });
  return new Response(object.body, {
    headers: { ...headers, 'Content-Type': MODEL_FILES[file], 'Content-Length': String(object.size) },
  });
}

async function readForm(req: Request): Promise<FormData> {
  try {
    return await req.formData();
  } catch {
    throw new EdgeError(400, 'malformed_form', 'Body must be multipart/form-data with parts manifest, model, weights');
  }
}

/**
 * The model registry: public reads of the current manifest and immutable files; authenticated publish,
 * listing and rollback.
 *
 * @example
 * app.route('/v1/models', modelRoutes);
 */
export const modelRoutes = new Hono<AppEnv>()
  .use('/current', publicCors())
  .use('/:version/:file', publicCors())
  .get('/current', async (c) => {
    const version = await currentVersion(c.env.KV);
    if (version === null) throw new EdgeError(404, 'no_model', 'No model has been published yet');
    // no-cache: clients revalidate every time, so a publish reaches them on their next load.
    return serveFile(c.env.MODELS, c.req.raw, version, 'manifest.json', 'no-cache');
  })
  .get('/:version/:file', async (c) => {
    const { version, file } = c.req.param();
    if (!isVersion(version) || !isModelFile(file)) throw new EdgeError(404, 'not_found', 'No such model file');
    // Versions are immutable once published, so a file URL never changes content.
    return serveFile(c.env.MODELS, c.req.raw, version, file, 'public, max-age=31536000, immutable');
  })
  .get('/', requireToken(), async (c) => {
    return c.json(await listModels(c.env));
  })
  .post('/', requireToken(), limitBody(MAX_PUBLISH_BYTES), async (c) => {
    const upload = await readUpload(await readForm(c.req.raw));
    await publishModel(c.env, upload, Date.now(), c.get('publisher'));
    return c.json({ version: upload.manifest.version, current: true }, 201);
  })
  .post('/:version/rollback', requireToken(), async (c) => {
    const version = c.req.param('version');
    if (!isVersion(version)) throw new EdgeError(404, 'not_found', 'No such version');
    const { previous } = await rollbackModel(c.env, version, c.get('publisher'), Date.now());
    return c.json({ version, current: true, previous });
  });
