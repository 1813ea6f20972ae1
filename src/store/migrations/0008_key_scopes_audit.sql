-- Hookline schema, version 8: API keys the API can manage, and the audit log.
-- A key gets an id the API names it by (its hash is never shown), a scope, an optional expiry,
-- the time it was last used, and a revocation time: a revoked key's row stays so that a request
-- with it is told the key was revoked, not that it is unknown.
ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN instance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
-- Keys made before could do everything, workspaces included: they stay instance keys.
UPDATE api_keys SET id = lower(hex(randomblob(16))), instance = 1;
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, id);

-- Changes made through the API. Rows are few (people's changes, not events) and are kept: the
-- log of who changed what is worth more than its bytes. Newest first by id (UUIDv7).
CREATE TABLE audit_log (
  id             TEXT PRIMARY KEY,
  workspace_id   TEXT NOT NULL,
  time           INTEGER NOT NULL,
  key_id         TEXT NOT NULL,
  key_name       TEXT NOT NULL,
  action         TEXT NOT NULL,
  resource_type  TEXT NOT NULL,
  resource_id    TEXT NOT NULL,
  changes        TEXT NOT NULL
);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, id);
