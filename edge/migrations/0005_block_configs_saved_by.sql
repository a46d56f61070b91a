-- Who saved each block configuration version: the publish token's name, or the dashboard session's.
-- NULL for versions saved before saves were attributed.
ALTER TABLE block_configs ADD COLUMN saved_by TEXT;
