import type { SyncPayload } from '../../../sdk/src/contract/index.js';

const BATCH_SEEN = 'SELECT 1 FROM sync_batches WHERE batch_id = ?';

const INSERT_BATCH = 'INSERT INTO sync_batches (batch_id, anonymous_id, received_at) VALUES (?, ?, ?)';

// A snapshot older than the one held (by the client's sentAt) is recorded as delivered but does not
// overwrite: retries and reordered deliveries must never roll a profile back.
const UPSERT_PROFILE = `
INSERT INTO profiles (anonymous_id, user_id_hash, spec_hash, features, counts, segment, model_version,
                      batches, sent_at, first_seen, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?9)
ON CONFLICT (anonymous_id) DO UPDATE SET
  user_id_hash  = COALESCE(excluded.user_id_hash, profiles.user_id_hash),
  spec_hash     = excluded.spec_hash,
  features      = excluded.features,
  counts        = excluded.counts,
  segment       = excluded.segment,
  model_version = excluded.model_version,
  batches       = profiles.batches + 1,
  sent_at       = excluded.sent_at,
  updated_at    = excluded.updated_at
WHERE excluded.sent_at >= profiles.sent_at`;

async function batchSeen(db: D1Database, batchId: string): Promise<boolean> {
  return (await db.prepare(BATCH_SEEN).bind(batchId).first()) !== null;
}

/**
 * Stores one sync batch at most once: the batch id and the profile upsert go in one D1 `batch()`, which is
 * a transaction, so either both land or neither does. Returns whether the batch had been seen before.
 *
 * @example
 * const duplicate = await recordBatch(env.DB, payload, Date.now());
 */
export async function recordBatch(db: D1Database, p: SyncPayload, now: number): Promise<boolean> {
  if (await batchSeen(db, p.batchId)) return true;
  try {
    await db.batch([
      db.prepare(INSERT_BATCH).bind(p.batchId, p.anonymousId, now),
      db
        .prepare(UPSERT_PROFILE)
        .bind(
          p.anonymousId,
          p.userIdHash ?? null,
          p.specHash,
          JSON.stringify(p.features),
          JSON.stringify(p.counts),
          p.segment ?? null,
          p.modelVersion ?? null,
          p.sentAt,
          now,
        ),
    ]);
    return false;
  } catch (err) {
    // A concurrent delivery of the same batch won the primary key; ours rolled back whole.
    if (await batchSeen(db, p.batchId)) return true;
    throw err;
  }
}
