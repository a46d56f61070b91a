/**
 * Sustained `POST /v1/sync` against the local worker on workerd, as a ratio to `GET /healthz` of the same
 * worker in the same run (one KV read, the cheapest route it has). 127.0.0.1 only, bounded duration.
 *
 *   npx tsx bench/edge-sync.ts [--seconds 10] [--connections 10] [--rate 100]
 *
 * Two phases per route: saturation (as many requests as `connections` keep in flight) for throughput, then
 * a fixed `rate` for latency, since p99 at saturation measures the queue, not the worker.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Options, Result } from 'autocannon';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, rate: { type: 'string', default: '100' } },
});
const SECONDS = Math.min(Math.max(Number(values.seconds), 1), 60);
const CONNECTIONS = Math.min(Math.max(Number(values.connections), 1), 200);
const RATE = Math.min(Math.max(Number(values.rate), 1), 10_000);
const WARMUP_SECONDS = 2;
// Traffic like a real storefront's: many shoppers behind many addresses, so the rate limits (per shopper
// and per IP) stay out of the measurement, and every batch is new, so every request writes.
const SHOPPERS = Array.from({ length: 20_000 }, () => randomUUID());
let sent = 0;

function syncRequest(): NonNullable<Options['requests']>[number] {
  return {
    method: 'POST',
    path: '/v1/sync',
    setupRequest: (req) => {
      const n = sent++;
      return {
        ...req,
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `10.${(n >> 8) & 255}.${n & 255}.1` },
        body: JSON.stringify(syncPayload(SHOPPERS[n % SHOPPERS.length])),
      };
    },
  };
}

async function measure(url: string, route: 'healthz' | 'sync', extra: Partial<Options>): Promise<Result> {
  const target = route === 'healthz' ? { url: `${url}/healthz` } : { url, requests: [syncRequest()] };
  const result = await autocannon({ ...target, connections: CONNECTIONS, duration: SECONDS, ...extra });
  const wrong = result.errors + result.timeouts + result.non2xx;
  if (wrong > 0) throw new Error(`${route}: ${wrong} failed requests (${JSON.stringify(result.statusCodeStats)})`);
  return result;
}

const edge = await startEdgeHarness();
try {
  await measure(edge.url, 'healthz', { duration: WARMUP_SECONDS });
  await measure(edge.url, 'sync', { duration: WARMUP_SECONDS });
  const saturated = { healthz: await measure(edge.url, 'healthz', {}), sync: await measure(edge.url, 'sync', {}) };
  const paced = { healthz: await measure(edge.url, 'healthz', { overallRate: RATE }), sync: await measure(edge.url, 'sync', { overallRate: RATE }) };
  const stored = (await edge.totals()).syncBatches;

  const row = (name: string, s: Result, p: Result) =>
    `${name.padEnd(14)}${s.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(s.latency.p50).padStart(4)} ms  p99 ${String(s.latency.p99).padStart(4)} ms` +
    `   │ at ${RATE} req/s: p50 ${String(p.latency.p50).padStart(3)} ms  p99 ${String(p.latency.p99).padStart(3)} ms`;
  const throughput = saturated.sync.requests.average / saturated.healthz.requests.average;
  console.log(`\nedge on workerd (wrangler dev --local), 127.0.0.1, ${CONNECTIONS} connections, ${SECONDS} s per phase`);
  console.log(row('GET /healthz', saturated.healthz, paced.healthz));
  console.log(row('POST /v1/sync', saturated.sync, paced.sync));
  console.log(`sync / healthz throughput: ${(throughput * 100).toFixed(0)} %   (target ≥ 50 %)`);
  console.log(`sync p99 at ${RATE} req/s: ${paced.sync.latency.p99} ms   (target ≤ 20 ms);  at saturation: ${saturated.sync.latency.p99} ms`);
  console.log(`sync p99 / healthz p99 at ${RATE} req/s: ${(paced.sync.latency.p99 / Math.max(paced.healthz.latency.p99, 1)).toFixed(2)}`);
  console.log(`batches stored: ${stored} (every accepted request wrote one)`);
} finally {
  await edge.stop();
}
