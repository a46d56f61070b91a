-- Who published each model: the name of the publish token used (PUBLISH_TOKEN counts as "default").
-- NULL for models published before tokens had names.
ALTER TABLE models ADD COLUMN published_by TEXT;

-- Every change of the current model, publish or rollback, with who made it and when: the audit trail a
-- merchandiser reads to learn why the storefront changed. Rows are only ever added.
CREATE TABLE model_events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,                                  -- server clock (ms)
  action    TEXT NOT NULL CHECK (action IN ('publish', 'rollback')),
  version   TEXT NOT NULL,                                     -- the version made current
  previous  TEXT,                                              -- the version it replaced, NULL for the first
  actor     TEXT NOT NULL                                      -- publish token name
);
CREATE INDEX model_events_version_at ON model_events (version, at);
