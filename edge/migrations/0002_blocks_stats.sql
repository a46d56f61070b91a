-- The segment each batch reported, so the segment mix can be charted per day from what was received.
ALTER TABLE sync_batches ADD COLUMN segment TEXT;

-- Every block configuration ever saved; the highest version is live. Keeping them all is what makes
-- "revert to version n" a copy instead of a reconstruction.
CREATE TABLE block_configs (
  version       INTEGER PRIMARY KEY,       -- 1, 2, 3 … with no gaps: writers must send current + 1
  config        TEXT NOT NULL,             -- BlockConfig JSON, HTML already sanitised
  updated_at    INTEGER NOT NULL,          -- server clock (ms)
  reverted_from INTEGER                    -- set when this version is a copy of an older one
);
