-- What an Idempotency-Key was first used for (SHA-256 of the request), so the same key with another body is refused
-- rather than answered with the first dossier. Dossiers taken before have none and replay as before.
ALTER TABLE dossiers ADD COLUMN request_fingerprint bytea;
