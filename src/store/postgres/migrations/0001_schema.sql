-- Hookline's PostgreSQL schema, version 1: the SQLite schema as its version 7 left it
-- (src/store/migrations/0001..0007 say why each part is there), in PostgreSQL's terms. The same
-- tables, columns, keys and indexes under the same names, so that both stores answer alike.
-- Where it differs, and why:
-- - Times stay bigint Unix milliseconds, not timestamptz: the code passes and compares
--   milliseconds everywhere (core/clock.h), and both stores hold the same numbers.
-- - events and deliveries number their rows (seq) with an identity column. PostgreSQL hands a
--   number out when a row is inserted, not when it commits: with several writers, a lower seq
--   can become visible after a higher one, which whatever walks rows by seq must allow for.
-- - Identifiers are COLLATE "C": they order byte by byte, as in SQLite (the API pages by id),
--   whatever locale the database was made with, and their indexes compare faster.
-- - JSON stays text, not jsonb: it is written and read back whole, and nothing queries inside
--   it. jsonb would reorder keys and spacing: a custom payload's keys are the body's keys in
--   order, a journey's graph goes back as the API took it, and a delivery body and its event's
--   details must keep their exact bytes (store/body_splice.h).
-- - What a receiver answered (response headers and body) is bytea: it is whatever bytes came
--   back, which need not be UTF-8 and may hold NUL bytes, and PostgreSQL's text takes neither.
-- - Flags are boolean. Counts that fit the code's int are integer; times, seqs, sizes and
--   counters that grow without bound are bigint.
-- - No WITHOUT ROWID: a PostgreSQL table is a heap beside its primary key's index either way.
-- - As in SQLite since version 6, deliveries, their bodies and attempts carry no foreign keys:
--   they are written on every event and removed together by retention, and a key's check on
--   each row is cost with nothing to catch.

CREATE TABLE workspaces (
  id          text COLLATE "C" PRIMARY KEY,
  name        text NOT NULL,
  created_at  bigint NOT NULL
);

CREATE TABLE api_keys (
  key_hash      text COLLATE "C" PRIMARY KEY,  -- sha256 of the key; the key itself is never stored
  workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  name          text NOT NULL,
  created_at    bigint NOT NULL
);

CREATE TABLE webhooks (
  id                          text COLLATE "C" PRIMARY KEY,
  workspace_id                text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  name                        text NOT NULL,
  url                         text NOT NULL,
  method                      text NOT NULL,
  auth                        text NOT NULL,     -- {"type": "none" | "basic" | "token", ...}
  headers                     text NOT NULL,     -- [{"name", "value"}]
  custom_payload              text,              -- {key: template} or NULL
  enabled                     boolean NOT NULL,
  secret                      text NOT NULL,
  timeout_ms                  integer NOT NULL,
  created_at                  bigint NOT NULL,
  updated_at                  bigint NOT NULL,
  max_in_flight               integer NOT NULL DEFAULT 10,
  rate_limit_per_second       integer NOT NULL DEFAULT 0,  -- 0: none
  -- During a rotation the old secret keeps signing (a second signature) until it expires.
  previous_secret             text NOT NULL DEFAULT '',
  previous_secret_expires_at  bigint NOT NULL DEFAULT 0
);
CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, id);

-- Subscriptions, one row per (webhook, event name): the fan-out of an event is an index lookup.
CREATE TABLE webhook_events (
  webhook_id    text COLLATE "C" NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  workspace_id  text COLLATE "C" NOT NULL,
  event         text NOT NULL,
  position      integer NOT NULL,
  PRIMARY KEY (webhook_id, event)
);
CREATE INDEX webhook_events_by_event ON webhook_events (workspace_id, event);

CREATE TABLE contacts (
  id            text COLLATE "C" PRIMARY KEY,
  workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  email         text NOT NULL,                 -- lower-cased
  first_name    text NOT NULL DEFAULT '',
  last_name     text NOT NULL DEFAULT '',
  mobile        text NOT NULL DEFAULT '',
  properties    text NOT NULL DEFAULT '{}',    -- JSON object
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  UNIQUE (workspace_id, email)
);
CREATE INDEX contacts_by_workspace ON contacts (workspace_id, id);

CREATE TABLE lists (
  id            text COLLATE "C" PRIMARY KEY,
  workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  name          text NOT NULL,
  created_at    bigint NOT NULL
);
CREATE INDEX lists_by_workspace ON lists (workspace_id, id);

CREATE TABLE list_members (
  list_id     text COLLATE "C" NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  contact_id  text COLLATE "C" NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  added_at    bigint NOT NULL,
  PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX list_members_by_contact ON list_members (contact_id);

CREATE TABLE journeys (
  id             text COLLATE "C" PRIMARY KEY,
  workspace_id   text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  name           text NOT NULL,
  status         text NOT NULL,      -- draft | active | paused
  reentry        text NOT NULL,      -- every_time | once
  graph          text NOT NULL,      -- {"blocks": [...], "edges": [...]} as the API took it
  trigger_event  text NOT NULL,
  created_at     bigint NOT NULL,
  updated_at     bigint NOT NULL
);
-- An event's journeys are found by name among the active ones only: the cost of an event grows
-- with the journeys listening to it, not with all journeys.
CREATE INDEX journeys_by_trigger ON journeys (workspace_id, trigger_event) WHERE status = 'active';
CREATE INDEX journeys_by_workspace ON journeys (workspace_id, id);

CREATE TABLE enrolments (
  id            text COLLATE "C" PRIMARY KEY,
  workspace_id  text COLLATE "C" NOT NULL,
  journey_id    text COLLATE "C" NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
  contact_id    text COLLATE "C" NOT NULL,
  block_id      text COLLATE "C" NOT NULL,   -- where the contact is, or where it ended
  status        text NOT NULL,               -- waiting | completed | exited
  wake_at       bigint NOT NULL,             -- while waiting: when the delay ends
  event         text NOT NULL,               -- the triggering event (JSON)
  depth         integer NOT NULL,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL
);
CREATE INDEX enrolments_due ON enrolments (wake_at) WHERE status = 'waiting';
CREATE INDEX enrolments_by_contact ON enrolments (contact_id, journey_id);
CREATE INDEX enrolments_by_journey ON enrolments (journey_id, status, block_id);

-- Per-block counts, one row per distinct way through a journey (core/journey_path.h): a write
-- batch adds to one row per path, and reading a journey's counts adds its few paths up.
CREATE TABLE journey_path_counts (
  journey_id  text COLLATE "C" NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
  path        text COLLATE "C" NOT NULL,   -- steps: mark (= passed, + entered, - left), length, ':', id
  runs        bigint NOT NULL,
  PRIMARY KEY (journey_id, path)
);

CREATE TABLE events (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- arrival order
  workspace_id  text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,  -- client-supplied or generated: the idempotency key
  name          text NOT NULL,
  contact_id    text COLLATE "C" NOT NULL,
  time_ms       bigint NOT NULL,
  details       text NOT NULL,              -- JSON object, byte for byte as delivery bodies hold it
  received_at   bigint NOT NULL
);
CREATE UNIQUE INDEX events_by_id ON events (workspace_id, id);

CREATE TABLE deliveries (
  seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- creation order
  id                text COLLATE "C" NOT NULL,  -- UUIDv7, sent as webhook-id
  workspace_id      text COLLATE "C" NOT NULL,
  webhook_id        text COLLATE "C" NOT NULL,
  event_id          text COLLATE "C" NOT NULL,
  event_name        text NOT NULL,
  status            text NOT NULL,              -- pending | retrying | succeeded | dead
  attempts          integer NOT NULL DEFAULT 0,
  schedule_base     integer NOT NULL DEFAULT 0,
  next_attempt_at   bigint NOT NULL,            -- due time; while leased, the end of the lease
  last_status       integer,
  last_error        text NOT NULL DEFAULT '',
  last_duration_ms  bigint NOT NULL DEFAULT 0,
  created_at        bigint NOT NULL,
  updated_at        bigint NOT NULL,            -- once ended (succeeded or dead): when it ended
  -- The node a delivery being sent is leased to ('' when none: its --node-id), and a number
  -- that grows with every claim of it: what a node writes about a delivery names both, so a
  -- node whose lease ran out cannot overwrite what the delivery's next holder did.
  lease_owner       text COLLATE "C" NOT NULL DEFAULT '',
  lease_number      bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deliveries_by_id ON deliveries (id);
-- Only unfinished deliveries are in the due index: the queue stays small however long the log.
-- Claims walk it oldest due first, FOR UPDATE SKIP LOCKED.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_by_workspace ON deliveries (workspace_id, seq);
CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, seq);

-- A delivery's body, written once and never changed, apart from its state, which changes on
-- every try. A body made from a stored event is kept without the event's details, which the
-- events row holds already; reading the body puts them back at details_at.
CREATE TABLE delivery_bodies (
  seq         bigint PRIMARY KEY,   -- the delivery's seq
  body        text NOT NULL,        -- rendered once; every try sends it (see details_at)
  event_seq   bigint,               -- NULL: body is whole; else its event's details are
  details_at  integer               --   left out of body, and go back in at this byte
);

CREATE TABLE attempts (
  delivery_seq      bigint NOT NULL,
  number            integer NOT NULL,
  started_at        bigint NOT NULL,
  duration_ms       bigint NOT NULL,
  request_method    text NOT NULL,
  request_url       text NOT NULL,
  request_headers   text NOT NULL,            -- JSON object, credentials masked
  response_status   integer,
  response_headers  bytea NOT NULL DEFAULT '',  -- JSON object of the bytes received
  response_body     bytea NOT NULL DEFAULT '',  -- the first 4 KiB received
  error_code        text NOT NULL DEFAULT '',
  error_message     text NOT NULL DEFAULT '',
  PRIMARY KEY (delivery_seq, number)
);
