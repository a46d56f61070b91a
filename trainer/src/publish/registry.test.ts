import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from './registry.js';

const MODEL_DIR = join(import.meta.dirname, '../../../models/default');

describe('publish', () => {
  let server: Server;
  let edge = '';
  const seen: { auth?: string; parts: Record<string, number> }[] = [];

  beforeAll(async () => {
    // A stand-in edge: parses the multipart body like the real worker would and answers JSON.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = await new Request('http://edge/', {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      }).formData();
      const parts = Object.fromEntries([...form].map(([k, f]) => [k, (f as File).size]));
      seen.push({ auth: req.headers.authorization, parts });
      const ok = req.headers.authorization === 'Bearer good';
      res.writeHead(ok ? 201 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { version: 'v1' } : { error: { code: 'unauthorized', message: 'bad token' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    edge = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('posts the three files with the bearer token and returns the edge answer', async () => {
    const ok = await publish({ dir: MODEL_DIR, edge, token: 'good' });
    expect(ok).toEqual({ ok: true, status: 201, body: { version: 'v1' } });
    expect(seen.at(-1)?.auth).toBe('Bearer good');
    expect(Object.keys(seen.at(-1)!.parts)).toEqual(['manifest', 'model', 'weights']);
    const denied = await publish({ dir: MODEL_DIR, edge: `${edge}/`, token: 'bad' });
    expect(denied).toEqual({ ok: false, status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } });
  });

  it('refuses corrupted weights before sending anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-publish-'));
    for (const f of ['manifest.json', 'model.json']) await copyFile(join(MODEL_DIR, f), join(dir, f));
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(16));
    const before = seen.length;
    await expect(publish({ dir, edge, token: 'good' })).rejects.toThrow(/weights\.bin is corrupted/);
    expect(seen.length).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a model a browser cannot use (NaN weights the manifest vouches for) before sending anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-publish-'));
    const manifest = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8'));
    const nan = new Uint8Array(new Float32Array(manifest.weights.bytes / 4).fill(Number.NaN).buffer);
    manifest.weights.sha256 = createHash('sha256').update(nan).digest('hex');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await copyFile(join(MODEL_DIR, 'model.json'), join(dir, 'model.json'));
    await writeFile(join(dir, 'weights.bin'), nan);
    const before = seen.length;
    await expect(publish({ dir, edge, token: 'good' })).rejects.toThrow(/not a model a browser can use: .*not finite/);
    expect(seen.length).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });

  it('never sends the token in clear text to a remote host', async () => {
    await expect(publish({ dir: MODEL_DIR, edge: 'http://example.com', token: 'good' })).rejects.toThrow(/use https/);
  });
});
