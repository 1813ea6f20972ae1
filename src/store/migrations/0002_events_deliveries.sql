-- Hookline schema, version 2: events, deliveries and their attempts.

CREATE TABLE events (
  workspace_id  TEXT NOT NULL,
  id            TEXT NOT NULL,             -- client-supplied or generated UUID: idempotency key
  name          TEXT NOT NULL,
  contact_id    TEXT NOT NULL,
  time_ms       INTEGER NOT NULL,
  details       TEXT NOT NULL,             -- JSON object
  received_at   INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE deliveries (
  id                TEXT PRIMARY KEY,      -- UUIDv7, sent as webhook-id
  workspace_id      TEXT NOT NULL,
  webhook_id        TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  event_name        TEXT NOT NULL,
  body              TEXT NOT NULL,         -- rendered once; every try sends it
  status            TEXT NOT NULL,         -- pending | retrying | succeeded | dead
  attempts          INTEGER NOT NULL DEFAULT 0,
  schedule_base     INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,      -- due time; while leased, the end of the lease
  leased            INTEGER NOT NULL DEFAULT 0,
  last_status       INTEGER,
  last_error        TEXT NOT NULL DEFAULT '',
  last_duration_ms  INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
-- Only unfinished deliveries are in the due index: the queue stays small however long the log.
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_by_workspace ON deliveries(workspace_id, id);
CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, id);

CREATE TABLE attempts (
  delivery_id       TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  number            INTEGER NOT NULL,
  started_at        INTEGER NOT NULL,
  duration_ms       INTEGER NOT NULL,
  request_method    TEXT NOT NULL,
  request_url       TEXT NOT NULL,
  request_headers   TEXT NOT NULL,         -- JSON object, credentials masked
  response_status   INTEGER,
  response_headers  TEXT NOT NULL DEFAULT '',
  response_body     TEXT NOT NULL DEFAULT '',
  error_code        TEXT NOT NULL DEFAULT '',
  error_message     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (delivery_id, number)
);
