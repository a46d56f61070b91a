import { notErased } from '../profiles/tombstones.js';
import type { SyncKeys } from './erased.js';
import { createGroupCommit } from './group-commit.js';
import type { StoredSync } from './intake.js';

// Runs first in the transaction and only when the batch id is new and no tombstone names the shopper, so a
// replay, or a late sync of an erased shopper, changes nothing. A snapshot
// older than the one held counts as delivered but does not overwrite: retries and reordered deliveries must
// never roll a profile back. Older means a lower sequence number (the SDK's, see SyncPayloadSchema), or the
// same one sent earlier; a version-1 snapshot (no seq) goes by the device's clock as before, and the first
// snapshot with a seq replaces one without, so a profile frozen by a clock far ahead comes free. (`WHERE`
// after the SELECT is also what lets SQLite parse `ON CONFLICT` after `INSERT … SELECT`.) Churn risk and
// predicted spend come only from a page that ran the model (a page showing a cached segment sends none), so
// a snapshot without them keeps the last ones. A plain user-id hash written before user ids were keyed goes
// as soon as the keyed one arrives.
const UPSERT_PROFILE = `
INSERT INTO profiles (anonymous_id, user_key, spec_hash, features, counts, segment, model_version,
                      value_tier, churn_risk, predicted_spend, products, batches, sent_at, first_seen, updated_at,
                      seq, net_source, net_seen_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?11, ?12, ?13, ?14, 1, ?8, ?9, ?9, ?15, ?16, ?9
WHERE NOT EXISTS (SELECT 1 FROM batch_ids WHERE id = ?10) AND ${notErased(17, 18)}
ON CONFLICT (anonymous_id) DO UPDATE SET
  user_key      = COALESCE(excluded.user_key, profiles.user_key),
  user_id_hash  = CASE WHEN excluded.user_key IS NULL THEN profiles.user_id_hash END,
  spec_hash     = excluded.spec_hash,
  features      = excluded.features,
  counts        = excluded.counts,
  segment       = excluded.segment,
  model_version = excluded.model_version,
  value_tier    = excluded.value_tier,
  churn_risk    = COALESCE(excluded.churn_risk, profiles.churn_risk),
  predicted_spend = COALESCE(excluded.predicted_spend, profiles.predicted_spend),
  products      = excluded.products,
  batches       = profiles.batches + 1,
  sent_at       = excluded.sent_at,
  updated_at    = excluded.updated_at,
  seq           = excluded.seq,
  net_source    = excluded.net_source,
  net_seen_at   = excluded.net_seen_at
WHERE CASE
  WHEN excluded.seq IS NULL THEN excluded.sent_at >= profiles.sent_at
  WHEN profiles.seq IS NULL THEN 1
  ELSE excluded.seq > profiles.seq OR (excluded.seq = profiles.seq AND excluded.sent_at >= profiles.sent_at)
END`;

// The shopper is named by the profile's rowid, which the upsert above has just made sure exists (unless a
// tombstone stopped it, and then this stores nothing either).
const RECORD_BATCH = `
INSERT INTO batch_ids (id, shopper, received_at, segment, net_source, dropped)
SELECT ?1, rowid, ?3, ?4, ?5, ?6 FROM profiles WHERE anonymous_id = ?2 AND ${notErased(7, 8)}
ON CONFLICT (id) DO NOTHING`;

/**
 * A UUID's 16 bytes, the form `batch_ids` keeps it in (less than half the text's size, in the row and its
 * index alike).
 *
 * @example
 * uuidBytes('0f8fad5b-d9cb-469f-a165-70867728950e').byteLength; // 16
 */
export function uuidBytes(uuid: string): ArrayBuffer {
  const digits = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16)).buffer;
}

/**
 * D1 queries one Worker invocation may make on the Workers Free plan (Paid allows 1,000): the bound every
 * sync's statements are sized against, so the edge runs on either.
 */
export const D1_QUERIES_PER_INVOCATION = 50;
/** Statements one sync adds to its group's transaction: the profile upsert and the batch-id insert. */
export const SYNC_WRITE_STATEMENTS = 2;
/**
 * Reads a sync may make besides its group's write: before joining, on a cold isolate, the network-source key
 * (two statements, once per isolate) and the segment and tier names (one, at most once a minute or on a name
 * it lacks); after it, only when it stored nothing, whether a tombstone or a replay was the reason (one).
 */
export const SYNC_READ_STATEMENTS = 4;

/**
 * Syncs one write carries at most. The leading request makes the group's write and, if it fails, the retry
 * item by item (twice its statements), after its own reads: all of it inside one invocation's query limit.
 */
export const MAX_GROUP = Math.floor((D1_QUERIES_PER_INVOCATION - SYNC_READ_STATEMENTS) / (2 * SYNC_WRITE_STATEMENTS));

/** One sync ready for storage: what it said, where it came from, what was dropped, its keys. */
export interface Pending {
  sync: StoredSync;
  /** Network source (see network-source.ts), or null. */
  source: string | null;
  dropped: readonly string[];
  /** The keyed user id and the tombstone keys the write checks (see erased.ts). */
  keys: SyncKeys;
  now: number;
}

const prepared = new WeakMap<D1Database, { upsert: D1PreparedStatement; record: D1PreparedStatement }>();

/** The two statements, prepared once per database binding and bound per sync. */
function statements(db: D1Database) {
  let s = prepared.get(db);
  if (!s) {
    s = { upsert: db.prepare(UPSERT_PROFILE), record: db.prepare(RECORD_BATCH) };
    prepared.set(db, s);
  }
  return s;
}

/**
 * A group's statements: each sync as its own pair in arrival order, so a batch id delivered twice in one
 * group is stored by the first pair and seen as a duplicate by the second, exactly as across groups. Throws
 * rather than build more than {@link SYNC_WRITE_STATEMENTS} per sync.
 *
 * @example
 * await db.batch(groupStatements(db, [pending]));
 */
export function groupStatements(db: D1Database, group: readonly Pending[]): D1PreparedStatement[] {
  const { upsert, record } = statements(db);
  const all = group.flatMap(({ sync: p, source, dropped, keys, now }) => {
    const batchId = uuidBytes(p.batchId);
    return [
      upsert.bind(
        p.anonymousId,
        keys.userKey,
        p.specHash,
        JSON.stringify(p.features),
        JSON.stringify(p.counts),
        p.segment ?? null,
        p.modelVersion ?? null,
        p.sentAt,
        now,
        batchId,
        p.valueTier ?? null,
        p.churnRisk ?? null,
        p.predictedSpend ?? null,
        p.products ? JSON.stringify(p.products) : null,
        p.seq,
        source,
        keys.shopperTombstone,
        keys.userTombstone,
      ),
      record.bind(
        batchId,
        p.anonymousId,
        now,
        p.segment ?? null,
        source,
        dropped.length ? JSON.stringify(dropped) : null,
        keys.shopperTombstone,
        keys.userTombstone,
      ),
    ];
  });
  // The budget every group is sized by: a statement more per sync would overrun an invocation's query limit.
  if (all.length > group.length * SYNC_WRITE_STATEMENTS) throw new Error('a sync exceeds its D1 statement budget');
  return all;
}

/** One D1 `batch()` (one transaction) for a group; returns, per sync, whether it stored nothing. */
async function writeGroup(db: D1Database, group: Pending[]): Promise<boolean[]> {
  const results = await db.batch(groupStatements(db, group));
  return group.map((_, i) => results[SYNC_WRITE_STATEMENTS * i + 1]!.meta.changes === 0);
}

// One queue per database binding, so a group never mixes syncs meant for different databases.
const queues = new WeakMap<D1Database, (db: D1Database, pending: Pending) => Promise<boolean>>();

function queueFor(db: D1Database) {
  let submit = queues.get(db);
  if (!submit) {
    submit = createGroupCommit(writeGroup, { maxItems: MAX_GROUP });
    queues.set(db, submit);
  }
  return submit;
}

/**
 * Stores one sync batch at most once and resolves only after it has committed. D1 runs a `batch()` as one
 * transaction on a single-writer database, so "is the id new?", the profile upsert and recording the id
 * cannot interleave with another delivery of the same batch. Syncs that arrive while a write is in flight
 * share the next transaction (group commit, see `group-commit.ts`): one D1 round trip for many requests.
 * Resolves true when nothing was stored: the batch had been seen before, or a tombstone names the shopper.
 *
 * @example
 * const storedNothing = await recordBatch(env.DB, { sync, source, dropped, keys, now: Date.now() });
 */
export function recordBatch(db: D1Database, pending: Pending): Promise<boolean> {
  return queueFor(db)(db, pending);
}
