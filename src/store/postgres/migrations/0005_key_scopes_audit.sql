-- Hookline's PostgreSQL schema, version 5: API keys the API can manage, and the audit log
-- (SQLite's version 8 says why).
ALTER TABLE api_keys ADD COLUMN id text COLLATE "C";
ALTER TABLE api_keys ADD COLUMN prefix text NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN instance boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys ADD COLUMN expires_at bigint;
ALTER TABLE api_keys ADD COLUMN last_used_at bigint;
ALTER TABLE api_keys ADD COLUMN revoked_at bigint;
UPDATE api_keys SET id = replace(gen_random_uuid()::text, '-', ''), instance = true;
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, id);

CREATE TABLE audit_log (
  id             text COLLATE "C" PRIMARY KEY,
  workspace_id   text COLLATE "C" NOT NULL,
  time           bigint NOT NULL,
  key_id         text COLLATE "C" NOT NULL,
  key_name       text NOT NULL,
  action         text NOT NULL,
  resource_type  text NOT NULL,
  resource_id    text COLLATE "C" NOT NULL,
  changes        text NOT NULL
);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, id);
