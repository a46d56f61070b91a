import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startLocalEdge, type LocalEdge } from '../../edge/local/start.js';
import { startStorefront, type Storefront } from '../../demo/server.js';

/**
 * The real system for end-to-end tests: a local edge on workerd (fresh D1/KV/R2 state), the demo
 * storefront, and Debian's Chromium driven by playwright-core. Everything listens on 127.0.0.1 only.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TOKEN = 'e2e-publish-token';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export interface Stack {
  edge: LocalEdge & { url: string };
  shop: Storefront;
  browser: Browser;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the trainer CLI (`tsx trainer/src/cli.ts …`); rejects with its output when it exits non-zero. */
export function trainer(args: string[], timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'trainer/src/cli.ts'), ...args], {
      cwd: ROOT,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? resolve(output) : reject(new Error(`trainer ${args[0]} exited ${code}:\n${output}`));
    });
  });
}

/** Publishes a model directory (manifest.json, model.json, weights.bin) the way `trainer publish` does. */
export async function publishModel(edgeUrl: string, dir: string, token = TOKEN): Promise<void> {
  const form = new FormData();
  for (const [part, file] of [
    ['manifest', 'manifest.json'],
    ['model', 'model.json'],
    ['weights', 'weights.bin'],
  ] as const) {
    form.append(part, new Blob([readFileSync(join(dir, file))]), file);
  }
  const res = await fetch(new URL('/v1/models', edgeUrl), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 201) throw new Error(`publishing ${dir} answered ${res.status}: ${await res.text()}`);
}

/**
 * Starts edge + storefront (the storefront's origin is the edge's only CORS origin) and Chromium; `edgeVars`
 * adds worker vars, e.g. `{ PUBLISH_TOKENS: 'alice:…' }`.
 */
export async function startStack(opts: { edgeVars?: Record<string, string> } = {}): Promise<Stack> {
  const persistDir = mkdtempSync(join(tmpdir(), 'shoal-e2e-'));
  const edgePort = await freePort();
  const edgeUrl = `http://127.0.0.1:${edgePort}/`;
  const shop = await startStorefront({ edgeUrl });
  const edge = await startLocalEdge({
    port: edgePort,
    persistDir,
    publishToken: TOKEN,
    allowedOrigins: new URL(shop.url).origin,
    vars: opts.edgeVars,
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    edge: { ...edge, url: edgeUrl },
    shop,
    browser,
    async stop() {
      await Promise.allSettled([browser.close(), shop.stop(), edge.stop()]);
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
