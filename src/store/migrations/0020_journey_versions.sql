-- Hookline schema, version 20: journey versions.
-- Editing the graph of a journey that has been activated makes a new version; a contact finishes
-- on the version it entered. Every version's graph is kept in journey_versions, with the goal and
-- the waits that an event must find for the contacts still on it. journeys keeps the current
-- version's graph, trigger, goal and waits beside its status, what new contacts enter by, so
-- starting a journey reads as before. Existing journeys and their enrolments become version 1.

ALTER TABLE journeys ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE enrolments ADD COLUMN journey_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE journey_versions (
  journey_id   TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  graph        TEXT NOT NULL,
  goal_event   TEXT NOT NULL,           -- '': no goal
  wait_events  TEXT NOT NULL,           -- ' a b ': the events its Wait until blocks wait for
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (journey_id, version)
) WITHOUT ROWID;
-- An event finds the versions whose goal it is, or that wait for it, from these; no longer from
-- the current version's columns on journeys (still written, for a reader of the table).
CREATE INDEX journey_versions_by_goal ON journey_versions(goal_event) WHERE goal_event <> '';
CREATE INDEX journey_versions_waiting ON journey_versions(journey_id) WHERE wait_events <> '';

INSERT INTO journey_versions (journey_id, version, graph, goal_event, wait_events, created_at)
  SELECT id, 1, graph, goal_event, wait_events, updated_at FROM journeys;
DROP INDEX journeys_by_goal;
DROP INDEX journeys_waiting;
