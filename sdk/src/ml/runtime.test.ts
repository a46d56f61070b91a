import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScorer } from './runtime.js';
import { memoryStorage } from '../test-utils.js';

/** The shipped default model served by a fake edge; the page's storage in memory; no Cache Storage. */
const dir = new URL('../../../models/default/', import.meta.url);
const manifest = readFileSync(new URL('manifest.json', dir), 'utf8');
const weights = readFileSync(new URL('weights.bin', dir));
const row = (JSON.parse(manifest) as { normalisation: { mean: number[] } }).normalisation.mean;

/** A model that passes every check before decoding (valid manifest, spec, sha256) but predicts NaN. */
const nanWeights = Buffer.from(new Float32Array(weights.byteLength / 4).fill(Number.NaN).buffer);
const nanManifest = JSON.stringify({
  ...(JSON.parse(manifest) as { weights: object }),
  version: 'bad-nan',
  weights: {
    ...(JSON.parse(manifest) as { weights: object }).weights,
    sha256: createHash('sha256').update(nanWeights).digest('hex'),
  },
});

let edgeUp = true;
let serving: 'good' | 'nan' = 'good';
const requests: string[] = [];
beforeEach(() => {
  edgeUp = true;
  serving = 'good';
  requests.length = 0;
  vi.stubGlobal('localStorage', memoryStorage());
  vi.stubGlobal('navigator', { userAgent: 'test' });
  vi.stubGlobal('fetch', async (url: URL) => {
    requests.push(url.pathname);
    if (!edgeUp) throw new TypeError('fetch failed');
    if (url.pathname === '/v1/models/current')
      return new Response(serving === 'good' ? manifest : nanManifest, {
        headers: { 'content-type': 'application/json' },
      });
    if (url.pathname.endsWith('/bad-nan/weights.bin')) return new Response(nanWeights);
    if (url.pathname.endsWith('/weights.bin')) return new Response(weights);
    return new Response('', { status: 404 });
  });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const options = { edgeUrl: 'http://edge.test/', wasmPath: 'http://edge.test/', backends: ['cpu'] as const };

describe('createScorer', () => {
  it('scores on CPU at once, then reports the measured choice and remembers it for the next page', async () => {
    const scorer = await createScorer(options);
    expect(scorer.backend).toBe('cpu');
    expect(scorer.backendReason).toMatch(/first scores/);
    expect((await scorer.score(row)).segment).toBeTypeOf('string');
    await scorer.settled;
    expect(scorer.backendReason).toMatch(/^measured cpu [\d.]+ ms\/row; chose cpu/);
    const next = await createScorer(options);
    await next.settled;
    expect(next.backendReason).toMatch(/\(remembered\)$/);
  });

  it('keeps the tensor count flat over 10,000 predictions and a batch explanation', async () => {
    const scorer = await createScorer(options);
    await scorer.settled;
    await scorer.score(row);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10_000; i++) await scorer.score(row.map((x, j) => x + ((i + j) % 7) / 10));
    await scorer.explain(row);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores from the verified localStorage copy of the last good weights while the edge is down', async () => {
    const online = await scorer0();
    edgeUp = false;
    const offline = await createScorer(options);
    expect(offline.model).toBe(online.model);
    expect(await offline.score(row)).toEqual(await online.score(row));
    await expect(offline.revalidated).resolves.toBe(false);
    expect(offline.modelRefused).toMatch(/fetch failed/);
  });

  it('refuses a localStorage copy that fails the manifest sha256', async () => {
    await scorer0();
    const stored = JSON.parse(localStorage.getItem('shoal:model-weights')!) as { sha256: string; weights: string };
    localStorage.setItem(
      'shoal:model-weights',
      JSON.stringify({ ...stored, weights: btoa('x'.repeat(weights.byteLength)) }),
    );
    edgeUp = false;
    await expect(createScorer(options)).rejects.toThrow(/fetch failed/);
    expect(localStorage.getItem('shoal:model-weights')).toBeNull();
  });

  it('refuses a model that predicts NaN after a good one, keeps the good one in force and as last good', async () => {
    const good = await scorer0();
    serving = 'nan';
    const next = await createScorer(options);
    await expect(next.revalidated).resolves.toBe(false);
    expect(next.model).toBe(good.model);
    expect(next.modelRefused).toMatch(/model bad-nan refused: it predicts non-finite numbers/);
    expect(await next.score(row)).toEqual(await good.score(row));
    expect(JSON.parse(localStorage.getItem('shoal:model')!)).toMatchObject({ version: good.model });
  });

  it('starts no model and remembers nothing when the only model there is predicts NaN', async () => {
    serving = 'nan';
    await expect(createScorer(options)).rejects.toThrow(/model bad-nan refused: it predicts non-finite numbers/);
    expect(localStorage.getItem('shoal:model')).toBeNull();
    expect(localStorage.getItem('shoal:model-weights')).toBeNull();
  });
});

async function scorer0() {
  const s = await createScorer(options);
  await s.revalidated;
  await s.settled;
  return s;
}
