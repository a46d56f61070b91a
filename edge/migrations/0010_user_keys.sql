-- A signed-in shopper's id is stored keyed: HMAC(ID_PEPPER, 'user:' + the browser's hash), so nobody can
-- recompute it from a known email and the public salt. SQL cannot compute an HMAC, so rows written before
-- keep their plain user_id_hash until the worker moves them over: at the shopper's next signed-in sync, or
-- in the scheduled sweep (a few thousand rows a run). Readers key a plain hash on the fly meanwhile.
ALTER TABLE profiles ADD COLUMN user_key TEXT;
CREATE INDEX profiles_user_key ON profiles (user_key) WHERE user_key IS NOT NULL;
