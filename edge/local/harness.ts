/// <reference types="node" />
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, FEATURE_RANGES, FEATURE_SPEC, SYNC_PAYLOAD_VERSION } from '../../sdk/src/contract/index.js';
import type { SyncPayload } from '../../sdk/src/contract/index.js';
import { executeLocalSql, startLocalEdge } from './start.js';
import type { DevSecrets, LocalEdgeOptions } from './start.js';

/** An answer from the worker; `body` is untyped JSON (or text) so each test asserts the fields it cares about. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON fields they assert on
  body: any;
  headers: Headers;
}

/** A throwaway local edge and a small client for it, for real-worker tests and the benchmark. */
export interface EdgeHarness {
  url: string;
  token: string;
  /** The secrets the worker runs with (generated per harness), to compute the keyed values it stores. */
  secrets: DevSecrets;
  /** The worker's local state directory (D1, KV and R2 files under `v3/`). */
  persistDir: string;
  /** Any request; JSON bodies are parsed, others returned as text, 204/304 as null. */
  call(path: string, init?: RequestInit): Promise<Answer>;
  /** `call` with the bearer token added. */
  admin(path: string, init?: RequestInit): Promise<Answer>;
  /** POST /v1/sync with a JSON body (a string is sent as is). */
  sync(payload: object | string, headers?: Record<string, string>): Promise<Answer>;
  /** Row counts and live pointers (GET /v1/stats/totals), the yardstick for "no state changed". */
  totals(): Promise<Record<string, unknown>>;
  /** SQL straight into the worker's local D1, for state no request can make (see `executeLocalSql`). */
  sql(command: string): Promise<Record<string, unknown>[]>;
  /** wrangler's last lines of output. */
  recentOutput(): string[];
  stop(): Promise<void>;
}

// Generous: CI and shared machines run these beside browsers; a stuck request still ends.
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A feature vector held inside each feature's plausible range (the edge refuses others): ratios stop at 1.
 *
 * @example plausible(FEATURE_NAMES.map(() => 9)) // [9, 9, 9, 9, 9, 9, 1, …]
 */
export function plausible(features: readonly number[]): number[] {
  return features.map((x, i) => Math.min(x, FEATURE_RANGES[FEATURE_NAMES[i]!][1]));
}

/**
 * A valid sync payload for `anonymousId`, fresh batch id, overridable field by field.
 *
 * @example
 * await edge.sync(syncPayload(shopper, { segment: 'loyal' }));
 */
export function syncPayload(
  anonymousId: string = randomUUID(),
  over: Partial<Record<keyof SyncPayload, unknown>> = {},
): SyncPayload {
  return {
    payloadVersion: SYNC_PAYLOAD_VERSION,
    seq: 9,
    batchId: randomUUID(),
    anonymousId,
    specVersion: FEATURE_SPEC.version,
    specHash: FEATURE_SPEC.hash,
    features: plausible(FEATURE_NAMES.map((_, i) => i / 2)),
    counts: { events: 9, orders: 2, productViews: 4, addToCarts: 2, sessions: 3 },
    segment: 'loyal',
    sentAt: Date.now(),
    ...over,
  } as SyncPayload;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  return (res.headers.get('Content-Type') ?? '').includes('application/json') ? JSON.parse(text) : text;
}

/**
 * Starts `wrangler dev --local` on fresh local state in a temp directory, removed again by `stop()`.
 *
 * @example
 * const edge = await startEdgeHarness({ vars: { RETENTION_DAYS: '1' } });
 * expect((await edge.call('/healthz')).status).toBe(200);
 * await edge.stop();
 */
export async function startEdgeHarness(
  opts: Omit<LocalEdgeOptions, 'persistDir' | 'publishToken'> = {},
): Promise<EdgeHarness> {
  const token = 'test-publish-token';
  const persistDir = await mkdtemp(join(tmpdir(), 'shoal-edge-'));
  const edge = await startLocalEdge({ snapshotAssets: true, ...opts, persistDir, publishToken: token }).catch(
    async (err: unknown) => {
      await rm(persistDir, { recursive: true, force: true });
      throw err;
    },
  );
  const call = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const res = await fetch(`${edge.url}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: res.status, body: await readBody(res), headers: res.headers };
  };
  const admin = (path: string, init: RequestInit = {}) =>
    call(path, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } });
  return {
    url: edge.url,
    token,
    secrets: edge.secrets,
    persistDir,
    call,
    admin,
    sync: (payload, headers = {}) =>
      call('/v1/sync', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    totals: async () => (await admin('/v1/stats/totals')).body as Record<string, unknown>,
    sql: (command) => executeLocalSql(persistDir, command),
    recentOutput: edge.recentOutput,
    stop: async () => {
      await edge.stop();
      await rm(persistDir, { recursive: true, force: true });
    },
  };
}
