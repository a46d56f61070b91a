-- Batch ids in a compact table of their own, kept BATCH_RETENTION_DAYS (the SDK's retry window) instead of
-- as long as profiles: the id as its 16 bytes and the shopper as the profile's rowid, so no anonymous id is
-- repeated (and indexed) per sync. A large shop's week of batch ids then fits beside its profiles.
CREATE TABLE batch_ids (
  id          BLOB NOT NULL PRIMARY KEY,     -- the batch UUID's 16 bytes
  shopper     INTEGER NOT NULL,              -- rowid of the sender's profiles row
  received_at INTEGER NOT NULL,              -- server clock (ms)
  segment     TEXT,                          -- the segment the batch reported, for the segment mix
  net_source  TEXT,                          -- keyed network hash (0006), cleared after a week
  dropped     TEXT                           -- optional fields dropped (0006), JSON array, NULL when none
);
-- Erasing a shopper, and the sweep and segment mix, go by these; the partial one finds sources to clear.
CREATE INDEX batch_ids_shopper ON batch_ids (shopper);
CREATE INDEX batch_ids_received_at ON batch_ids (received_at);
CREATE INDEX batch_ids_net_source ON batch_ids (received_at) WHERE net_source IS NOT NULL;

-- The segment mix of each UTC day (weighted shoppers per segment, one network source capped at its share),
-- rolled up once the day is over; today is counted from batch_ids directly.
CREATE TABLE segment_days (
  day      INTEGER NOT NULL,                 -- days since 1970-01-01 (UTC)
  segment  TEXT NOT NULL,
  shoppers REAL NOT NULL,
  capped   INTEGER NOT NULL DEFAULT 0,       -- 1 when a source was counted down to its share that day
  PRIMARY KEY (day, segment)
) WITHOUT ROWID;

-- The last 8 days of batch ids (the default retention) move over, the days before are rolled up (their
-- network sources are cleared by then, so nothing is capped), and the old table is emptied but kept, so a
-- worker rolled back to the previous version still runs. Days the move keeps are rolled up by the sweep.
INSERT OR IGNORE INTO batch_ids (id, shopper, received_at, segment, net_source, dropped)
SELECT unhex(b.batch_id, '-'), p.rowid, b.received_at, b.segment, b.net_source, b.dropped
FROM sync_batches b JOIN profiles p ON p.anonymous_id = b.anonymous_id
WHERE b.received_at >= (unixepoch() - 8 * 86400) * 1000;
INSERT INTO segment_days (day, segment, shoppers)
SELECT received_at / 86400000, COALESCE(segment, '(none)'), COUNT(DISTINCT anonymous_id)
FROM sync_batches
WHERE received_at < ((unixepoch() - 8 * 86400) / 86400 + 1) * 86400000
GROUP BY 1, 2;
DELETE FROM sync_batches;
