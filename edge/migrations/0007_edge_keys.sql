-- Secrets the worker makes for itself and keeps in its own database, never exported: the key of the network
-- source hash. Made on first use (INSERT … ON CONFLICT DO NOTHING, so every isolate reads the same one).
CREATE TABLE edge_keys (
  name       TEXT PRIMARY KEY,
  key        TEXT NOT NULL,            -- hex
  created_at INTEGER NOT NULL          -- server clock (ms)
);
