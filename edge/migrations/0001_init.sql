-- One row per shopper: the latest aggregate snapshot the SDK sent, never raw events.
CREATE TABLE profiles (
  anonymous_id  TEXT PRIMARY KEY,
  user_id_hash  TEXT,
  spec_hash     TEXT NOT NULL,
  features      TEXT NOT NULL,            -- JSON array of numbers, FEATURE_NAMES order
  counts        TEXT NOT NULL,            -- JSON object of event counts
  segment       TEXT,
  model_version TEXT,
  batches       INTEGER NOT NULL DEFAULT 1,
  sent_at       INTEGER NOT NULL,         -- client clock (ms) of the snapshot held, to drop stale ones
  first_seen    INTEGER NOT NULL,         -- server clock (ms)
  updated_at    INTEGER NOT NULL          -- server clock (ms)
);
CREATE INDEX profiles_user_id_hash ON profiles (user_id_hash) WHERE user_id_hash IS NOT NULL;
CREATE INDEX profiles_updated_at ON profiles (updated_at);

-- Every accepted batch id, so a retried delivery is recognised and changes nothing.
CREATE TABLE sync_batches (
  batch_id     TEXT PRIMARY KEY,
  anonymous_id TEXT NOT NULL,
  received_at  INTEGER NOT NULL
);
-- Pruning old ids and erasing a shopper both go by these.
CREATE INDEX sync_batches_received_at ON sync_batches (received_at);
CREATE INDEX sync_batches_anonymous_id ON sync_batches (anonymous_id);

-- The registry of published models; R2 holds the files, KV `model:current` the live pointer.
CREATE TABLE models (
  version      TEXT PRIMARY KEY,
  created_at   TEXT NOT NULL,             -- manifest.createdAt (trainer clock, ISO)
  published_at INTEGER NOT NULL,          -- server clock (ms)
  manifest     TEXT NOT NULL
);
CREATE INDEX models_published_at ON models (published_at);
