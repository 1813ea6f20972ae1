-- Hookline schema, version 6: a lean delivery log.
-- Every event with a subscribed webhook writes these rows, so their bytes are what ingest costs
-- (each page is written twice: to the WAL, then by the checkpoint).
-- - Rows are numbered (seq) in the order they are made: indexes and attempts point at an 8-byte
--   number instead of a 36-byte UUID, appends fill pages in order, and retention removes from the
--   oldest seq on.
-- - A delivery's body, written once and never changed, lives apart from its state, which changes
--   on every try: finishing a delivery rewrites a small row, not a page of bodies.
-- - A body made from a stored event is kept without the event's details, which the events row
--   holds already (byte for byte as the body has them); reading the body puts them back at
--   details_at. An event is only removed once no body needs it.
-- - Attempts are keyed by (delivery seq, number) in a WITHOUT ROWID table: one tree, not two.

CREATE TABLE events_v6 (
  seq           INTEGER PRIMARY KEY,       -- arrival order
  workspace_id  TEXT NOT NULL,
  id            TEXT NOT NULL,             -- client-supplied or generated: the idempotency key
  name          TEXT NOT NULL,
  contact_id    TEXT NOT NULL,
  time_ms       INTEGER NOT NULL,
  details       TEXT NOT NULL,             -- JSON object
  received_at   INTEGER NOT NULL
);
INSERT INTO events_v6 (workspace_id, id, name, contact_id, time_ms, details, received_at)
  SELECT workspace_id, id, name, contact_id, time_ms, details, received_at FROM events
  ORDER BY received_at, id;
DROP TABLE events;
ALTER TABLE events_v6 RENAME TO events;
CREATE UNIQUE INDEX events_by_id ON events(workspace_id, id);

CREATE TABLE deliveries_v6 (
  seq               INTEGER PRIMARY KEY,   -- creation order
  id                TEXT NOT NULL,         -- UUIDv7, sent as webhook-id
  workspace_id      TEXT NOT NULL,
  webhook_id        TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  event_name        TEXT NOT NULL,
  status            TEXT NOT NULL,         -- pending | retrying | succeeded | dead
  attempts          INTEGER NOT NULL DEFAULT 0,
  schedule_base     INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,      -- due time; while leased, the end of the lease
  leased            INTEGER NOT NULL DEFAULT 0,
  last_status       INTEGER,
  last_error        TEXT NOT NULL DEFAULT '',
  last_duration_ms  INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL       -- once ended (succeeded or dead): when it ended
);
CREATE TABLE delivery_bodies (
  seq         INTEGER PRIMARY KEY,         -- the delivery's seq
  body        TEXT NOT NULL,               -- rendered once; every try sends it (see details_at)
  event_seq   INTEGER,                     -- NULL: body is whole; else its event's details are
  details_at  INTEGER                      --   left out of body, and go back in at this byte
);
INSERT INTO deliveries_v6 (id, workspace_id, webhook_id, event_id, event_name, status, attempts,
                           schedule_base, next_attempt_at, leased, last_status, last_error,
                           last_duration_ms, created_at, updated_at)
  SELECT id, workspace_id, webhook_id, event_id, event_name, status, attempts, schedule_base,
         next_attempt_at, leased, last_status, last_error, last_duration_ms, created_at, updated_at
  FROM deliveries ORDER BY id;
INSERT INTO delivery_bodies (seq, body)
  SELECT n.seq, d.body FROM deliveries_v6 n JOIN deliveries d ON d.id = n.id;

CREATE TABLE attempts_v6 (
  delivery_seq      INTEGER NOT NULL,
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
  PRIMARY KEY (delivery_seq, number)
) WITHOUT ROWID;
INSERT INTO attempts_v6 (delivery_seq, number, started_at, duration_ms, request_method,
                         request_url, request_headers, response_status, response_headers,
                         response_body, error_code, error_message)
  SELECT n.seq, a.number, a.started_at, a.duration_ms, a.request_method, a.request_url,
         a.request_headers, a.response_status, a.response_headers, a.response_body, a.error_code,
         a.error_message
  FROM attempts a JOIN deliveries_v6 n ON n.id = a.delivery_id;

DROP TABLE attempts;
DROP TABLE deliveries;
ALTER TABLE deliveries_v6 RENAME TO deliveries;
ALTER TABLE attempts_v6 RENAME TO attempts;

CREATE UNIQUE INDEX deliveries_by_id ON deliveries(id);
-- Only unfinished deliveries are in the due index: the queue stays small however long the log.
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_by_workspace ON deliveries(workspace_id, seq);
CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, seq);
