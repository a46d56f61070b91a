import { PROSPECTS } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import type { Env } from '../env.js';
import { CURRENT_KEY } from '../models/files.js';
import type { KnownNames } from './intake.js';

/** A model published this recently still has browsers reporting its segments and tiers. */
export const NAMES_DAYS = 30;
/** How long an isolate trusts its copy before reading again (a model ages out, another is rolled back to). */
const FRESH_MS = 60_000;
/** A name missing from the copy forces a read (a model was just published), at most this often. */
const MISS_READ_MS = 250;

const NAMES = `
SELECT 'segment' AS kind, json_extract(s.value, '$.name') AS name
FROM models m, json_each(m.manifest, '$.segments') s WHERE m.published_at >= ?1 OR m.version = ?2
UNION
SELECT 'tier', json_extract(t.value, '$.name')
FROM models m, json_each(m.manifest, '$.valueTiers') t WHERE m.published_at >= ?1 OR m.version = ?2`;

interface Cached extends KnownNames {
  at: number;
}

// Per database binding, like the prepared statements: one isolate may serve more than one binding in tests.
const cache = new WeakMap<D1Database, Cached>();

async function read(env: Env, now: number): Promise<Cached> {
  const current = await env.KV.get(CURRENT_KEY);
  const { results } = await env.DB.prepare(NAMES)
    .bind(now - NAMES_DAYS * DAY_MS, current ?? '')
    .all<{ kind: 'segment' | 'tier'; name: string }>();
  const segments = new Set<string>();
  const tiers = new Set<string>();
  for (const r of results) (r.kind === 'segment' ? segments : tiers).add(r.name);
  const names = { at: now, segments, tiers };
  cache.set(env.DB, names);
  return names;
}

/**
 * The segment and value tier names of the current model and of every model published in the last
 * {@link NAMES_DAYS} days: the names a browser can honestly report. One D1 read per isolate a minute, plus
 * one when a sync names something the copy lacks (at most four a second), so a model published a moment ago
 * is known to the next sync that reports its names.
 *
 * @example
 * const names = await knownNames(env, Date.now(), ['champions']);
 */
export async function knownNames(env: Env, now: number, wanted: readonly (string | undefined)[]): Promise<KnownNames> {
  const held = cache.get(env.DB);
  if (!held || now - held.at >= FRESH_MS) return read(env, now);
  const missing = wanted.some((n) => n !== undefined && n !== PROSPECTS && !held.segments.has(n) && !held.tiers.has(n));
  return missing && now - held.at >= MISS_READ_MS ? read(env, now) : held;
}

/**
 * Drops this isolate's copy, so a publish or rollback made here is known to the very next sync. Other
 * isolates learn it when a sync names what they lack, or within a minute.
 *
 * @example
 * forgetKnownNames(env.DB);
 */
export function forgetKnownNames(db: D1Database): void {
  cache.delete(db);
}
