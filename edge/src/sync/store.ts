import type { SyncPayload } from '../../../sdk/src/contract/index.js';

// Runs first in the transaction and only when the batch id is new, so a replay changes nothing. A snapshot
// older than the one held (by the client's sentAt) counts as delivered but does not overwrite: retries and
// reordered deliveries must never roll a profile back. (`WHERE` after the SELECT is also what lets SQLite
// parse `ON CONFLICT` after `INSERT … SELECT`.) Churn risk and predicted spend come only from a page that ran
// the model (a page showing a cached segment sends none), so a snapshot without them keeps the last ones.
const UPSERT_PROFILE = `
INSERT INTO profiles (anonymous_id, user_id_hash, spec_hash, features, counts, segment, model_version,
                      value_tier, churn_risk, predicted_spend, products, batches, sent_at, first_seen, updated_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?11, ?12, ?13, ?14, 1, ?8, ?9, ?9
WHERE NOT EXISTS (SELECT 1 FROM sync_batches WHERE batch_id = ?10)
ON CONFLICT (anonymous_id) DO UPDATE SET
  user_id_hash  = COALESCE(excluded.user_id_hash, profiles.user_id_hash),
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
  updated_at    = excluded.updated_at
WHERE excluded.sent_at >= profiles.sent_at`;

const RECORD_BATCH = `
INSERT INTO sync_batches (batch_id, anonymous_id, received_at, segment) VALUES (?, ?, ?, ?)
ON CONFLICT (batch_id) DO NOTHING`;

/**
 * Stores one sync batch at most once, in one round trip: D1 runs a `batch()` as one transaction on a
 * single-writer database, so "is the id new?", the profile upsert and recording the id cannot interleave
 * with another delivery of the same batch. Returns whether the batch had been seen before.
 *
 * @example
 * const duplicate = await recordBatch(env.DB, payload, Date.now());
 */
export async function recordBatch(db: D1Database, p: SyncPayload, now: number): Promise<boolean> {
  const [, recorded] = await db.batch([
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
        p.batchId,
        p.valueTier ?? null,
        p.churnRisk ?? null,
        p.predictedSpend ?? null,
        p.products ? JSON.stringify(p.products) : null,
      ),
    db.prepare(RECORD_BATCH).bind(p.batchId, p.anonymousId, now, p.segment ?? null),
  ]);
  return recorded!.meta.changes === 0;
}
