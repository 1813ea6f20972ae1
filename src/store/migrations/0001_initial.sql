-- Hookline schema, version 1: workspaces, API keys, webhooks, contacts and lists.
-- JSON-valued columns hold JSON text.

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  key_hash      TEXT PRIMARY KEY,          -- sha256 of the key; the key itself is never stored
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  name          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces(id),
  name            TEXT NOT NULL,
  url             TEXT NOT NULL,
  method          TEXT NOT NULL,
  auth            TEXT NOT NULL,             -- {"type": "none" | "basic" | "token", ...}
  headers         TEXT NOT NULL,             -- [{"name", "value"}]
  custom_payload  TEXT,                      -- {key: template} or NULL
  enabled         INTEGER NOT NULL,
  secret          TEXT NOT NULL,
  timeout_ms      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX webhooks_by_workspace ON webhooks(workspace_id, id);

-- Subscriptions, one row per (webhook, event name): the fan-out of an event is an index lookup.
CREATE TABLE webhook_events (
  webhook_id    TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL,
  event         TEXT NOT NULL,
  position      INTEGER NOT NULL,
  PRIMARY KEY (webhook_id, event)
);
CREATE INDEX webhook_events_by_event ON webhook_events(workspace_id, event);

CREATE TABLE contacts (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  email         TEXT NOT NULL,
  first_name    TEXT NOT NULL DEFAULT '',
  last_name     TEXT NOT NULL DEFAULT '',
  mobile        TEXT NOT NULL DEFAULT '',
  properties    TEXT NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (workspace_id, email)
);
CREATE INDEX contacts_by_workspace ON contacts(workspace_id, id);

CREATE TABLE lists (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  name          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX lists_by_workspace ON lists(workspace_id, id);

CREATE TABLE list_members (
  list_id     TEXT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  contact_id  TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  added_at    INTEGER NOT NULL,
  PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX list_members_by_contact ON list_members(contact_id);
