/**
 * Sustained `POST /v1/sync` against the local worker on workerd, as a ratio to routes of the same worker in
 * the same run: `GET /healthz` (one KV read, the cheapest route it has) and `GET /v1/blocks` (one D1 read by
 * primary key, the cheapest route that touches D1). 127.0.0.1 only, every phase bounded in time.
 *
 *   npx tsx bench/edge-sync.ts [--seconds 10] [--connections 10] [--rate 50]
 *
 * Two phases per route: saturation (as many requests as `connections` keep in flight) for throughput, then
 * a fixed `rate` for latency, since p99 at saturation measures the queue, not the worker.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Options, Result } from 'autocannon';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, rate: { type: 'string', default: '50' } },
});
const clamp = (raw: string | undefined, lo: number, hi: number) => Math.min(Math.max(Number(raw) || lo, lo), hi);
const SECONDS = clamp(values.seconds, 1, 60);
const CONNECTIONS = clamp(values.connections, 1, 200);
const RATE = clamp(values.rate, 1, 10_000);
const WARMUP_SECONDS = 2;
// Traffic like a real storefront's: many shoppers behind many addresses, so the rate limits (per shopper
// and per IP) stay out of the measurement, and every batch is new, so every request writes.
const SHOPPERS = Array.from({ length: 20_000 }, () => randomUUID());
let sent = 0;

type Route = 'GET /healthz' | 'GET /v1/blocks' | 'POST /v1/sync';
const ROUTES: Route[] = ['GET /healthz', 'GET /v1/blocks', 'POST /v1/sync'];

function target(url: string, route: Route): Partial<Options> & { url: string } {
  if (route === 'GET /healthz') return { url: `${url}/healthz` };
  if (route === 'GET /v1/blocks') return { url: `${url}/v1/blocks` };
  const request = {
    method: 'POST',
    path: '/v1/sync',
    setupRequest: (req: object) => {
      const n = sent++;
      return {
        ...req,
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `10.${(n >> 8) & 255}.${n & 255}.1` },
        body: JSON.stringify(syncPayload(SHOPPERS[n % SHOPPERS.length])),
      };
    },
  };
  return { url, requests: [request] };
}

async function measure(url: string, route: Route, extra: Partial<Options>): Promise<Result> {
  const result = await autocannon({ ...target(url, route), connections: CONNECTIONS, duration: SECONDS, ...extra });
  const wrong = result.errors + result.timeouts + result.non2xx;
  if (wrong > 0) throw new Error(`${route}: ${wrong} failed requests (${JSON.stringify(result.statusCodeStats)})`);
  return result;
}

const edge = await startEdgeHarness({ logLevel: 'warn' });
try {
  for (const route of ROUTES) await measure(edge.url, route, { duration: WARMUP_SECONDS });
  const load = loadavg()[0]!;
  const saturated = new Map<Route, Result>();
  const paced = new Map<Route, Result>();
  for (const route of ROUTES) saturated.set(route, await measure(edge.url, route, {}));
  for (const route of ROUTES) paced.set(route, await measure(edge.url, route, { overallRate: RATE }));
  const stored = (await edge.totals()).syncBatches;

  const ms = (n: number) => `${String(n).padStart(4)} ms`;
  console.log(`\nedge on workerd (wrangler dev --local), 127.0.0.1, ${CONNECTIONS} connections, ${SECONDS} s per phase, load average ${load.toFixed(1)}`);
  console.log(`${''.padEnd(16)}${'saturated'.padStart(10)}  ${'p50'.padStart(7)}  ${'p99'.padStart(7)}   │ at ${RATE} req/s:  p50      p99`);
  for (const route of ROUTES) {
    const s = saturated.get(route)!;
    const p = paced.get(route)!;
    console.log(`${route.padEnd(16)}${s.requests.average.toFixed(0).padStart(6)} req/s  ${ms(s.latency.p50)}  ${ms(s.latency.p99)}   │ ${''.padStart(14)}${ms(p.latency.p50)}  ${ms(p.latency.p99)}`);
  }
  const sync = saturated.get('POST /v1/sync')!.requests.average;
  const ratio = (route: Route) => `${((sync / saturated.get(route)!.requests.average) * 100).toFixed(0)} %`;
  console.log(`sync throughput / healthz: ${ratio('GET /healthz')} (target ≥ 50 %)   sync throughput / one-D1-read route: ${ratio('GET /v1/blocks')}`);
  console.log(`sync p99 at ${RATE} req/s: ${paced.get('POST /v1/sync')!.latency.p99} ms (target ≤ 20 ms); healthz p99 at the same rate: ${paced.get('GET /healthz')!.latency.p99} ms`);
  console.log(`batches stored: ${stored} (one per accepted request)`);
} finally {
  await edge.stop();
}
