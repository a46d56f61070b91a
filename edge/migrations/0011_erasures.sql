-- Erasure tombstones: 16 bytes of HMAC(ID_PEPPER, …) of each erased anonymous id and user key, so a replayed
-- or late sync of an erased shopper is answered but never stored again. A keyed hash cannot be turned back
-- into the id, nor recomputed from it without the secret. Kept ERASURE_RETENTION_DAYS.
CREATE TABLE erasures (
  key       BLOB NOT NULL PRIMARY KEY,
  erased_at INTEGER NOT NULL                 -- server clock (ms)
) WITHOUT ROWID;
CREATE INDEX erasures_erased_at ON erasures (erased_at);
