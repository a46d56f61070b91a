/** A `profiles` row as D1 returns it (see migrations/): JSON columns still strings, times in ms. */
export interface ProfileRow {
  anonymous_id: string;
  /** The browser's plain user-id hash, only on rows written before user ids were keyed (see user-keys.ts). */
  user_id_hash: string | null;
  /** HMAC(ID_PEPPER, 'user:' + the browser's user-id hash), lowercase hex. */
  user_key: string | null;
  spec_hash: string;
  features: string;
  counts: string;
  segment: string | null;
  model_version: string | null;
  value_tier: string | null;
  churn_risk: number | null;
  predicted_spend: number | null;
  /** JSON array of {id, score}, see `products` in SyncPayloadSchema. */
  products: string | null;
  batches: number;
  sent_at: number;
  first_seen: number;
  updated_at: number;
}
