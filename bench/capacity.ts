/**
 * How big a large shop's D1 database gets: fills a local edge (workerd, local D1) with realistic shoppers
 * through the real routes, reads the bytes D1 itself reports (`size_after`, via GET /v1/stats/totals) after
 * each kind of row, and projects the database for a shop of 1 M daily shoppers (5 M distinct within the
 * 180-day retention) syncing 3 times a day each, against D1's 10 GB per database.
 *
 *   npm run bench:capacity [-- --shoppers 10000 --erasures-per-day 10000]
 *
 * Retention periods and the sweep's schedule are read from edge/wrangler.toml (what a deployment runs), so a
 * change there changes the projection. Three phases isolate the three row kinds that grow with traffic:
 * every shopper's first sync (a profile and a batch id each), two more syncs each (batch ids only: the
 * profile is updated in place), and erasures of shoppers the edge never saw (a tombstone only).
 *
 * Shoppers are built by the SDK's own feature code (sdk/src/features) from synthetic event histories, with
 * the payload fields the SDK sends (predictions, up to 16 product interests, a user-id hash for signed-in
 * shoppers), so rows carry the same JSON the edge stores from real browsers.
 *
 * Every sync carries a `CF-Connecting-IP` (256 shoppers to a /24), so profiles and batch ids hold a network
 * source as they do deployed; a model defining the shoppers' segments and tiers is published first, so none
 * is dropped. `--room-profile-bytes` and `--room-batch-bytes` add bytes per row for columns a branch plans but
 * has not built yet (0 by default).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { buildFixtureModel, publishForm } from '../edge/local/fixture-model.js';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';
import { DEFAULT_BATCH_RETENTION_DAYS, DEFAULT_ERASURE_RETENTION_DAYS } from '../edge/src/retention/periods.js';
import type { ShoalEvent, SyncPayload } from '../sdk/src/contract/index.js';
import { applyEvent, DAY_MS, emptyAggregates, featureVector } from '../sdk/src/features/index.js';
import { mulberry32 } from '../trainer/src/math/index.js';

/** The shop the projection is for (issue 16). */
export const SHOP = { dailyShoppers: 1_000_000, distinctShoppers: 5_000_000, syncsPerShopperDay: 3 } as const;
/** D1's maximum database size. */
export const D1_LIMIT_BYTES = 10 * 1024 ** 3;

/** Assumptions about the shoppers, stated where the projection is printed. */
const SIGNED_IN_SHARE = 0.3;
const CATALOGUE = 5_000;
const SEGMENTS = ['champions', 'loyal', 'potential', 'new', 'at_risk', 'hibernating', 'lost'];
const TIERS = ['low', 'mid', 'high'];
/** A real model version as the trainer names it (models/default). */
const MODEL_VERSION = 'cdnow-1fac9294';

export interface CapacityOptions {
  shoppers: number;
  /** Erasures (tombstones) a day in the projected shop. */
  erasuresPerDay: number;
  /** Parallel requests while filling. */
  concurrency: number;
  roomProfileBytes: number;
  roomBatchBytes: number;
  /** A running edge to fill (the test's); else one is started and stopped. */
  edge?: EdgeHarness;
  log?: (line: string) => void;
}

/** Bytes per row as measured, the rows the shop would hold, and the projected size. */
export interface CapacityReport {
  measured: { shoppers: number; baseBytes: number; profile: number; batchId: number; tombstone: number };
  config: { retentionDays: number; batchRetentionDays: number; erasureRetentionDays: number; sweepEveryDays: number };
  rows: { profiles: number; batchIds: number; tombstones: number };
  projected: { profiles: number; batchIds: number; tombstones: number; fixed: number; total: number };
}

/** One shopper: an event history over the retention period, folded by the SDK's own aggregate code. */
function shopper(rand: () => number, now: number) {
  const events: ShoalEvent[] = [];
  // Weighted counts as the SDK keeps them: a view 1, an add to cart 3, a purchased unit 5.
  const interest = new Map<string, number>();
  const like = (productId: string, weight: number) => interest.set(productId, (interest.get(productId) ?? 0) + weight);
  const sessions = 1 + Math.floor(-Math.log(1 - rand()) * 3);
  const sku = () => `SKU-${String(Math.floor(rand() * CATALOGUE)).padStart(8, '0')}`;
  let orders = 0;
  for (let s = 0; s < sessions; s++) {
    let ts = now - Math.floor(rand() * 180 * DAY_MS);
    const after = (ms: number) => {
      ts += ms;
      return ts;
    };
    const cart: { productId: string; category: string; price: number; quantity: number }[] = [];
    events.push({ type: 'page_view', ts, path: '/' });
    for (let v = 1 + Math.floor(rand() * 8); v > 0; v--) {
      const item = {
        productId: sku(),
        category: `c${Math.floor(rand() * 20)}`,
        price: Math.round(rand() * 20000) / 100,
      };
      events.push({ type: 'product_view', ts: after(30_000), ...item });
      like(item.productId, 1);
      if (rand() < 0.15) {
        events.push({ type: 'add_to_cart', ts: after(5_000), ...item, quantity: 1 });
        like(item.productId, 3);
        cart.push({ ...item, quantity: 1 });
      }
    }
    if (cart.length > 0 && rand() < 0.3) {
      const total = cart.reduce((sum, i) => sum + i.price, 0);
      events.push({
        type: 'purchase',
        ts: after(60_000),
        orderId: `o-${orders++}`,
        total,
        currency: 'EUR',
        items: cart,
      });
      for (const i of cart) like(i.productId, 5);
    }
    events.push({ type: 'dwell', ts: after(1_000), ms: Math.floor(rand() * 600_000) });
  }
  const agg = events.sort((a, b) => a.ts - b.ts).reduce(applyEvent, emptyAggregates());
  const products = [...interest]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 16)
    .map(([id, score]) => ({ id, score }));
  return {
    id: randomUUID(),
    agg,
    products,
    userIdHash: rand() < SIGNED_IN_SHARE ? randomUUID().replace(/-/g, '').repeat(2) : undefined,
    segment: SEGMENTS[Math.floor(rand() * SEGMENTS.length)]!,
    valueTier: TIERS[Math.floor(rand() * TIERS.length)]!,
  };
}

/** The payload the SDK would send for this shopper at `now`, its `nth` sync, with fresh model outputs. */
function payloadOf(s: ReturnType<typeof shopper>, rand: () => number, now: number, nth: number): SyncPayload {
  return syncPayload(s.id, {
    // The SDK's seq counts the events folded into the aggregate: each later sync has seen more.
    seq: s.agg.events + nth,
    features: featureVector(s.agg, now),
    counts: {
      events: s.agg.events,
      orders: s.agg.orders,
      productViews: s.agg.productViews,
      addToCarts: s.agg.addToCarts,
      sessions: s.agg.sessions,
    },
    modelVersion: MODEL_VERSION,
    segment: s.segment,
    valueTier: s.valueTier,
    churnRisk: rand(),
    predictedSpend: rand() * 400,
    sentAt: now,
    ...(s.products.length > 0 ? { products: s.products } : {}),
    ...(s.userIdHash ? { userIdHash: s.userIdHash } : {}),
  });
}

/** Runs `task` over `items` with at most `concurrency` in flight; every answer must be `expected`. */
async function each<T>(
  items: T[],
  concurrency: number,
  task: (item: T, i: number) => Promise<{ status: number; body: unknown }>,
  expected: number,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        const answer = await task(items[i]!, i);
        if (answer.status !== expected)
          throw new Error(`expected ${expected}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }),
  );
}

/** Distinct addresses, so the per-IP budget stays out of a fill that is not a flood. */
const ip = (n: number) => ({ 'CF-Connecting-IP': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });

const days = (raw: string | undefined, fallback: string) => Number(raw ?? fallback);

/** Retention and sweep schedule as edge/wrangler.toml deploys them. */
function deployedConfig(): CapacityReport['config'] {
  const config = unstable_readConfig({ config: fileURLToPath(new URL('../edge/wrangler.toml', import.meta.url)) });
  const vars = config.vars as Record<string, string | undefined>;
  // A cron with `*` as its hour field runs hourly; anything else at most daily.
  const hourly = (config.triggers.crons ?? []).some((cron: string) => cron.trim().split(/\s+/)[1] === '*');
  return {
    retentionDays: days(vars.RETENTION_DAYS, '180'),
    batchRetentionDays: days(vars.BATCH_RETENTION_DAYS, DEFAULT_BATCH_RETENTION_DAYS),
    erasureRetentionDays: days(vars.ERASURE_RETENTION_DAYS, DEFAULT_ERASURE_RETENTION_DAYS),
    sweepEveryDays: hourly ? 1 / 24 : 1,
  };
}

/**
 * Fills an edge in three phases, measures bytes per row from D1's own figures, and projects the shop.
 *
 * @example
 * const report = await measureCapacity({ shoppers: 500, erasuresPerDay: 10_000, concurrency: 8, roomProfileBytes: 0, roomBatchBytes: 0 });
 */
export async function measureCapacity(opts: CapacityOptions): Promise<CapacityReport> {
  const edge = opts.edge ?? (await startEdgeHarness({ logLevel: 'warn', inspector: false }));
  const log = opts.log ?? (() => {});
  const bytes = async () => (await edge.totals()).databaseBytes as number;
  try {
    // Seeded, so every run fills the same shoppers.
    const rand = mulberry32(16);
    const start = Date.now();
    const shoppers = Array.from({ length: opts.shoppers }, () => shopper(rand, start));
    // The segments and tiers the shoppers report must be a published model's, or the edge drops them.
    const model = buildFixtureModel(MODEL_VERSION, { segments: SEGMENTS, tiers: TIERS });
    const published = await edge.admin('/v1/models', { method: 'POST', body: publishForm(model) });
    if (published.status !== 201) throw new Error(`publishing the fixture model: ${JSON.stringify(published.body)}`);
    const baseBytes = await bytes();

    log(`phase 1: ${opts.shoppers} first syncs (a profile and a batch id each)`);
    await each(shoppers, opts.concurrency, (s, i) => edge.sync(payloadOf(s, rand, start, 0), ip(i)), 202);
    const afterProfiles = await bytes();

    log(`phase 2: ${2 * opts.shoppers} later syncs (a batch id each, profiles updated in place)`);
    const later = shoppers.flatMap((s) => [s, s]);
    await each(
      later,
      opts.concurrency,
      (s, i) => edge.sync(payloadOf(s, rand, start + 1 + i, 1 + (i % 2)), ip(opts.shoppers + i)),
      202,
    );
    const afterBatches = await bytes();

    // As many as profiles: a tombstone is small, and fewer would fit in pages D1 already has.
    const erasures = opts.shoppers;
    log(`phase 3: ${erasures} erasures of shoppers never seen (a tombstone each)`);
    const erase = (id: string, i: number) =>
      edge.call(`/v1/profiles/${id}`, { method: 'DELETE', headers: ip(3 * opts.shoppers + i) });
    await each(
      Array.from({ length: erasures }, () => randomUUID()),
      opts.concurrency,
      erase,
      204,
    );
    const afterTombstones = await bytes();

    const batchId = (afterBatches - afterProfiles) / later.length;
    const measured = {
      shoppers: opts.shoppers,
      baseBytes,
      profile: (afterProfiles - baseBytes) / opts.shoppers - batchId,
      batchId,
      tombstone: (afterTombstones - afterBatches) / erasures,
    };
    return project(measured, deployedConfig(), opts);
  } finally {
    if (!opts.edge) await edge.stop();
  }
}

/** The shop's rows and bytes from measured bytes per row and the deployed retention. */
export function project(
  measured: CapacityReport['measured'],
  config: CapacityReport['config'],
  opts: Pick<CapacityOptions, 'erasuresPerDay' | 'roomProfileBytes' | 'roomBatchBytes'>,
): CapacityReport {
  // Batch ids live their retention plus up to one sweep interval; the shop's distinct shoppers are those of
  // the profile retention (5 M in 180 days), scaled if a deployment keeps profiles for another period.
  const rows = {
    profiles: Math.round((SHOP.distinctShoppers * Math.min(config.retentionDays, 180)) / 180),
    batchIds: Math.round(
      SHOP.dailyShoppers * SHOP.syncsPerShopperDay * (config.batchRetentionDays + config.sweepEveryDays),
    ),
    tombstones: Math.round(opts.erasuresPerDay * (config.erasureRetentionDays + config.sweepEveryDays)),
  };
  const projected = {
    profiles: rows.profiles * (measured.profile + opts.roomProfileBytes),
    batchIds: rows.batchIds * (measured.batchId + opts.roomBatchBytes),
    tombstones: rows.tombstones * measured.tombstone,
    // Schema, models, block configurations, a year of rolled-up segment mix: what an empty shop already has.
    fixed: measured.baseBytes,
    total: 0,
  };
  projected.total = projected.profiles + projected.batchIds + projected.tombstones + projected.fixed;
  return { measured, config, rows, projected };
}

const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;

/** The report as the README and the closing note quote it. */
export function formatReport(
  r: CapacityReport,
  opts: Pick<CapacityOptions, 'roomProfileBytes' | 'roomBatchBytes' | 'erasuresPerDay'>,
): string {
  const m = r.measured;
  const c = r.config;
  return [
    `measured on local D1 (${m.shoppers} shoppers × 3 syncs, ${m.shoppers} erasures; bytes from D1's size_after):`,
    `  profile   ${m.profile.toFixed(0)} B   (row and its indexes; ${SIGNED_IN_SHARE * 100} % signed in, up to 16 product interests)`,
    `  batch id  ${m.batchId.toFixed(0)} B`,
    `  tombstone ${m.tombstone.toFixed(0)} B`,
    `deployed retention (edge/wrangler.toml): profiles ${c.retentionDays} d, batch ids ${c.batchRetentionDays} d, tombstones ${c.erasureRetentionDays} d, sweep every ${(c.sweepEveryDays * 24).toFixed(0)} h`,
    `room for planned columns: +${opts.roomProfileBytes} B per profile, +${opts.roomBatchBytes} B per batch id`,
    `shop: ${SHOP.dailyShoppers.toLocaleString('en')} daily shoppers, ${SHOP.distinctShoppers.toLocaleString('en')} distinct in 180 days, ${SHOP.syncsPerShopperDay} syncs each a day, ${opts.erasuresPerDay.toLocaleString('en')} erasures a day`,
    `  profiles   ${r.rows.profiles.toLocaleString('en').padStart(12)} rows  ${gb(r.projected.profiles).padStart(9)}`,
    `  batch ids  ${r.rows.batchIds.toLocaleString('en').padStart(12)} rows  ${gb(r.projected.batchIds).padStart(9)}`,
    `  tombstones ${r.rows.tombstones.toLocaleString('en').padStart(12)} rows  ${gb(r.projected.tombstones).padStart(9)}`,
    `  fixed                          ${gb(r.projected.fixed).padStart(9)}`,
    `  total                          ${gb(r.projected.total).padStart(9)}  = ${((100 * r.projected.total) / D1_LIMIT_BYTES).toFixed(0)} % of D1's 10 GB`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      shoppers: { type: 'string', default: '10000' },
      'erasures-per-day': { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '8' },
      'room-profile-bytes': { type: 'string', default: '0' },
      'room-batch-bytes': { type: 'string', default: '0' },
    },
  });
  const opts = {
    shoppers: Math.min(Math.max(Number(values.shoppers) || 1_000, 100), 200_000),
    erasuresPerDay: Number(values['erasures-per-day']),
    concurrency: Math.min(Math.max(Number(values.concurrency) || 8, 1), 64),
    roomProfileBytes: Number(values['room-profile-bytes']),
    roomBatchBytes: Number(values['room-batch-bytes']),
    log: (line: string) => console.log(line),
  };
  const started = Date.now();
  const report = await measureCapacity(opts);
  console.log(`\n${formatReport(report, opts)}\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
