-- Hookline schema, version 3: journeys, enrolments and per-block counts.

CREATE TABLE journeys (
  id             TEXT PRIMARY KEY,
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
  name           TEXT NOT NULL,
  status         TEXT NOT NULL,            -- draft | active | paused
  reentry        TEXT NOT NULL,            -- every_time | once
  graph          TEXT NOT NULL,            -- {"blocks": [...], "edges": [...]} as the API took it
  trigger_event  TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
-- An event's journeys are found by name among the active ones only: the cost of an event grows
-- with the journeys listening to it, not with all journeys.
CREATE INDEX journeys_by_trigger ON journeys(workspace_id, trigger_event) WHERE status = 'active';
CREATE INDEX journeys_by_workspace ON journeys(workspace_id, id);

CREATE TABLE enrolments (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  journey_id    TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  contact_id    TEXT NOT NULL,
  block_id      TEXT NOT NULL,             -- where the contact is, or where it ended
  status        TEXT NOT NULL,             -- waiting | completed | exited
  wake_at       INTEGER NOT NULL,          -- while waiting: when the delay ends
  event         TEXT NOT NULL,             -- the triggering event (JSON)
  depth         INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX enrolments_due ON enrolments(wake_at) WHERE status = 'waiting';
CREATE INDEX enrolments_by_contact ON enrolments(contact_id, journey_id);
CREATE INDEX enrolments_by_journey ON enrolments(journey_id, status, block_id);

CREATE TABLE journey_block_stats (
  journey_id  TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  block_id    TEXT NOT NULL,
  entered     INTEGER NOT NULL DEFAULT 0,
  left_count  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (journey_id, block_id)
);
