-- The SDK's per-shopper sequence number (events folded into the aggregate): a newer snapshot is one with a
-- higher seq, whatever the device's clock says. NULL for snapshots of payload version 1, which have none.
ALTER TABLE profiles ADD COLUMN seq INTEGER;
-- Where the latest sync came from: a keyed hash of the client's /24 or /48 network, never an address. NULL for
-- loopback (local development) and once the retention sweep has cleared it (kept at most 7 days).
ALTER TABLE profiles ADD COLUMN net_source TEXT;
ALTER TABLE profiles ADD COLUMN net_seen_at INTEGER;
CREATE INDEX profiles_net_seen_at ON profiles (net_seen_at) WHERE net_source IS NOT NULL;
ALTER TABLE sync_batches ADD COLUMN net_source TEXT;
CREATE INDEX sync_batches_net_source ON sync_batches (received_at) WHERE net_source IS NOT NULL;
-- Optional fields the edge could not accept and stored as NULL (JSON array of field names; NULL when none).
ALTER TABLE sync_batches ADD COLUMN dropped TEXT;
