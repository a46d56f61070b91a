import { describe, expect, it } from 'vitest';
import { buildFixtureModel, publishForm } from '../../local/fixture-model.js';
import { app } from '../app.js';
import { readUpload } from './upload.js';

const files = () => buildFixtureModel('unit-1');

async function refusal(form: FormData) {
  const err = await readUpload(form).then(
    () => null,
    (e: unknown) => e as { status: number; code: string; message: string },
  );
  return err && { status: err.status, code: err.code, message: err.message };
}

describe('readUpload', () => {
  it('accepts a consistent model', async () => {
    const upload = await readUpload(publishForm(files()));
    expect(upload.manifest.version).toBe('unit-1');
    expect(upload.weights.byteLength).toBe(files().weights.byteLength);
  });

  it('400 missing_part names the missing part', async () => {
    const form = publishForm(files());
    form.delete('weights');
    expect(await refusal(form)).toMatchObject({
      status: 400,
      code: 'missing_part',
      message: expect.stringContaining('weights'),
    });
  });

  it('422 invalid_manifest for a manifest that is not JSON', async () => {
    const form = publishForm(files());
    form.set('manifest', new Blob(['{nope']), 'manifest.json');
    expect(await refusal(form)).toMatchObject({ status: 422, code: 'invalid_manifest' });
  });

  it('422 invalid_manifest with the failing path', async () => {
    const f = files();
    const form = publishForm({ ...f, manifest: { ...f.manifest, horizonDays: -1 } });
    expect(await refusal(form)).toMatchObject({
      status: 422,
      code: 'invalid_manifest',
      message: expect.stringMatching(/^horizonDays: /),
    });
  });

  it('409 spec_mismatch when the feature names differ', async () => {
    const f = files();
    const names = [...f.manifest.featureSpec.names].reverse();
    const form = publishForm({ ...f, manifest: { ...f.manifest, featureSpec: { ...f.manifest.featureSpec, names } } });
    expect(await refusal(form)).toMatchObject({ status: 409, code: 'spec_mismatch' });
  });

  it.each([
    ['a flipped byte', (w: Uint8Array) => w.map((b, i) => (i === 0 ? b ^ 1 : b))],
    ['a missing byte', (w: Uint8Array) => w.slice(1)],
  ])('422 checksum_mismatch for %s', async (_, corrupt) => {
    const f = files();
    expect(await refusal(publishForm({ ...f, weights: corrupt(f.weights) }))).toMatchObject({
      status: 422,
      code: 'checksum_mismatch',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['no weightsManifest', { modelTopology: {} }],
  ])('422 invalid_model for %s', async (_, modelJson) => {
    const f = files();
    const form = publishForm({ ...f, modelJson });
    if (typeof modelJson === 'string') form.set('model', new Blob([modelJson]), 'model.json');
    expect(await refusal(form)).toMatchObject({ status: 422, code: 'invalid_model' });
  });
});

describe('/v1/models without storage', () => {
  const env = { PUBLISH_TOKEN: 's3cret' };

  it('401 for a publish with the wrong token', async () => {
    const res = await app.request(
      '/v1/models',
      { method: 'POST', body: publishForm(files()), headers: { Authorization: 'Bearer no' } },
      env,
    );
    expect(res.status).toBe(401);
  });

  it.each(['/v1/models/..%2Fx/weights.bin', '/v1/models/v1/secrets.txt'])('404 not_found for %s', async (path) => {
    const res = await app.request(path, {}, env);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
