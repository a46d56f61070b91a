/// <reference types="node" />
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options for {@link startLocalEdge}. */
export interface LocalEdgeOptions {
  /** Port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** Directory for local D1/KV/R2 state (wrangler's `--persist-to`). */
  persistDir: string;
  publishToken: string;
  /** Comma-separated storefront origins for CORS; defaults to `*`. */
  allowedOrigins?: string;
  /**
   * More worker vars, e.g. `{ RETENTION_DAYS: '30' }`. `ID_PEPPER` and `SESSION_SECRET` given here replace
   * the development values kept in the state directory (see {@link devSecrets}).
   */
  vars?: Record<string, string>;
  /** Expose the cron handler at `/__scheduled` (wrangler's `--test-scheduled`). */
  testScheduled?: boolean;
  /**
   * Serve a copy of the SDK build taken at start instead of `sdk/dist/browser` itself. wrangler dev restarts
   * the worker whenever an asset changes, failing requests in flight with 503; a test run must not be
   * disturbed by someone rebuilding the SDK beside it. The demo leaves this off so a rebuild shows up live.
   */
  snapshotAssets?: boolean;
  /** wrangler's `--log-level`; `warn` drops the line per request, which a benchmark does not want to pay for. */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** Receives wrangler's output line by line. */
  log?: (line: string) => void;
  /**
   * Attach wrangler's DevTools inspector (default true: the `wrangler dev` CLI always does). With `false` the
   * worker is started through wrangler's `unstable_startWorker` in this process instead, still behind the
   * same local proxy on workerd with the same local D1/KV/R2. A benchmark wants that: wrangler's inspector
   * proxy forwards every subrequest's DevTools Network events (three per D1 query) to wrangler's node
   * process as HTTP posts, which locally costs more CPU than the D1 query itself and does not exist deployed.
   */
  inspector?: boolean;
}

/** A running local edge. */
export interface LocalEdge {
  url: string;
  /** The secrets the worker runs with, so tests can compute the keyed values it stores. */
  secrets: DevSecrets;
  /** wrangler's last lines of output, for a failing test to print. */
  recentOutput(): string[];
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/.bin/wrangler', import.meta.url));
const CONFIG = fileURLToPath(new URL('../wrangler.toml', import.meta.url));
const ASSETS = fileURLToPath(new URL('../../sdk/dist/browser', import.meta.url));
// Without these wrangler phones home, and this sandbox (like CI) has no network to wait for.
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const DEV_SECRETS_FILE = 'dev-secrets.json';
const HEALTH_TRIES = 150;
const HEALTH_INTERVAL_MS = 200;
const HEALTH_DEADLINE_MS = 60_000;
const MIGRATE_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 40;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The worker's secrets for local development (see `ID_PEPPER` and `SESSION_SECRET` in src/env.ts). */
export interface DevSecrets {
  ID_PEPPER: string;
  SESSION_SECRET: string;
}

/**
 * Random development secrets, made once per state directory and kept beside the data they key: restarting
 * the demo on the same state keeps stored user keys and tombstones matching, and no two checkouts share a
 * value that could end up deployed. Production sets its own with `wrangler secret put`.
 *
 * @example
 * const { ID_PEPPER } = await devSecrets('.shoal/demo');
 */
export async function devSecrets(persistDir: string): Promise<DevSecrets> {
  const file = resolve(persistDir, DEV_SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as DevSecrets;
  const secrets = {
    ID_PEPPER: randomBytes(32).toString('base64url'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  } satisfies DevSecrets;
  await mkdir(persistDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** Spawns wrangler in its own process group (so stop() also ends workerd) and keeps its last lines. */
function runWrangler(args: string[], tail: string[], log?: (line: string) => void): ChildProcess {
  const child = spawn(WRANGLER, [...args, '--config', CONFIG], {
    cwd: REPO_ROOT,
    env: ENV,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Copies the SDK build (or makes an empty directory when there is none yet) and returns the copy's path. */
async function snapshotAssets(persistDir: string): Promise<string> {
  const dir = resolve(persistDir, 'assets-snapshot');
  if (existsSync(ASSETS)) await cp(ASSETS, dir, { recursive: true, force: true });
  else await mkdir(dir, { recursive: true });
  return dir;
}

async function applyMigrations(persistDir: string, log?: (line: string) => void): Promise<void> {
  const tail: string[] = [];
  const child = runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir], tail, log);
  const timer = setTimeout(() => void killGroup(child), MIGRATE_TIMEOUT_MS);
  const code = await exited(child);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${code}):\n${tail.join('\n')}`);
}

/**
 * Runs SQL against a local edge's D1 (`wrangler d1 execute --local`), beside a running worker: SQLite's own
 * locking keeps the two apart. For tests that need state no request can make, e.g. a shopper first seen
 * days ago. Returns the rows of the last statement.
 *
 * @example
 * await executeLocalSql(persistDir, 'SELECT COUNT(*) AS n FROM profiles');
 */
export async function executeLocalSql(persistDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const tail: string[] = [];
  const out: string[] = [];
  const child = runWrangler(
    ['d1', 'execute', 'DB', '--local', '--persist-to', resolve(persistDir), '--json', '--command', sql],
    tail,
  );
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  const timer = setTimeout(() => void killGroup(child), MIGRATE_TIMEOUT_MS);
  const code = await exited(child);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`wrangler d1 execute failed (exit ${code}):\n${tail.join('\n')}`);
  const results = JSON.parse(out.join('')) as { results: Record<string, unknown>[] }[];
  return results.at(-1)?.results ?? [];
}

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    // The group is already gone.
  }
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  await done;
  clearTimeout(timer);
}

async function waitHealthy(url: string, child: ChildProcess, tail: string[]): Promise<void> {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  for (let i = 0; i < HEALTH_TRIES && Date.now() < deadline; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, HEALTH_INTERVAL_MS));
  }
  throw new Error(`local edge did not become healthy at ${url}/healthz; wrangler said:\n${tail.join('\n')}`);
}

/**
 * Migrates local D1 and starts the worker under `wrangler dev --local` on 127.0.0.1, resolving once
 * `/healthz` answers. Node-only: used by the demo launcher and the real-worker tests.
 *
 * @example
 * const edge = await startLocalEdge({ persistDir: '/tmp/shoal-edge', publishToken: 'dev-token' });
 * await fetch(`${edge.url}/healthz`);
 * await edge.stop();
 */
export async function startLocalEdge(opts: LocalEdgeOptions): Promise<LocalEdge> {
  // wrangler runs from the repo root; resolve here so a relative dir means the caller's cwd.
  const persistDir = resolve(opts.persistDir);
  await applyMigrations(persistDir, opts.log);
  const dev = await devSecrets(persistDir);
  const secrets: DevSecrets = {
    ID_PEPPER: opts.vars?.ID_PEPPER ?? dev.ID_PEPPER,
    SESSION_SECRET: opts.vars?.SESSION_SECRET ?? dev.SESSION_SECRET,
  };
  const vars = {
    PUBLISH_TOKEN: opts.publishToken,
    ALLOWED_ORIGINS: opts.allowedOrigins ?? '*',
    ...opts.vars,
    ...secrets,
  };
  if (opts.inspector === false) return startInProcess(opts, persistDir, vars, secrets);
  const assets = opts.snapshotAssets ? ['--assets', await snapshotAssets(persistDir)] : [];
  const port = opts.port || (await freePort());
  // A fixed inspector port would collide when two edges run at once (parallel test files).
  const inspectorPort = await freePort();
  const tail: string[] = [];
  const child = runWrangler(
    [
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persistDir,
      '--show-interactive-dev-session=false',
      '--live-reload=false',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ...(opts.testScheduled ? ['--test-scheduled'] : []),
      ...(opts.logLevel ? ['--log-level', opts.logLevel] : []),
      ...assets,
    ],
    tail,
    opts.log,
  );
  // The group is detached, so a crashed caller would otherwise leave workerd holding the port.
  const orphanGuard = () => signalGroup(child, 'SIGKILL');
  process.once('exit', orphanGuard);
  const stop = async () => {
    process.off('exit', orphanGuard);
    await killGroup(child);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, tail);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, secrets, recentOutput: () => [...tail], stop };
}

/** The same worker through wrangler's API in this process, without the DevTools inspector (see `inspector`). */
async function startInProcess(
  opts: LocalEdgeOptions,
  persistDir: string,
  vars: Record<string, string>,
  secrets: DevSecrets,
): Promise<LocalEdge> {
  // The in-process equivalent of ENV above: no metrics, no network lookups.
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  const { unstable_startWorker } = await import('wrangler');
  const worker = await unstable_startWorker({
    config: CONFIG,
    sendMetrics: false,
    bindings: Object.fromEntries(
      Object.entries(vars).map(([name, value]) => [name, { type: 'plain_text' as const, value }]),
    ),
    ...(opts.snapshotAssets ? { assets: await snapshotAssets(persistDir) } : {}),
    dev: {
      inspector: false,
      persist: persistDir,
      server: { hostname: '127.0.0.1', port: opts.port || (await freePort()) },
      logLevel: opts.logLevel ?? 'log',
      watch: false,
      liveReload: false,
      testScheduled: opts.testScheduled ?? false,
    },
  });
  const url = (await worker.url).origin;
  const stop = () => worker.dispose();
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_DEADLINE_MS) });
    if (!res.ok) throw new Error(`local edge answered ${res.status} at ${url}/healthz`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, secrets, recentOutput: () => [], stop };
}
