-- Dashboard sessions signed out before they expired, checked on every dashboard request. In D1 rather than
-- KV: a sign-out must hold everywhere at once, not within a minute. A row goes once its session has expired.
CREATE TABLE revoked_sessions (
  id         TEXT NOT NULL PRIMARY KEY,      -- the session id the cookie carries
  expires_at INTEGER NOT NULL                -- when the cookie expires anyway (ms)
) WITHOUT ROWID;
