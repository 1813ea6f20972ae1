-- Hookline schema, version 17: journey versions.
-- Editing the graph of a journey that has been activated makes a new version; a contact finishes
-- on the version it entered. Every version's graph is kept in journey_versions, with the goal and
-- the waits that an event must find for the contacts still on it. journeys keeps the current
-- version's graph, trigger, goal and waits beside its status, what new contacts enter by, so
-- starting a journey reads as before. Existing journeys and their enrolments become version 1.

ALTER TABLE journeys ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE enrolments ADD COLUMN journey_version integer NOT NULL DEFAULT 1;

CREATE TABLE journey_versions (
  journey_id   text COLLATE "C" NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
  version      integer NOT NULL,
  graph        text NOT NULL,
  goal_event   text NOT NULL,           -- '': no goal
  wait_events  text NOT NULL,           -- ' a b ': the events its Wait until blocks wait for
  created_at   bigint NOT NULL,
  PRIMARY KEY (journey_id, version)
);
-- An event finds the versions whose goal it is, or that wait for it, from these; no longer from
-- the current version's columns on journeys (still written, for a reader of the table).
CREATE INDEX journey_versions_by_goal ON journey_versions (goal_event) WHERE goal_event <> '';
CREATE INDEX journey_versions_waiting ON journey_versions (journey_id) WHERE wait_events <> '';

INSERT INTO journey_versions (journey_id, version, graph, goal_event, wait_events, created_at)
  SELECT id, 1, graph, goal_event, wait_events, updated_at FROM journeys;
DROP INDEX journeys_by_goal;
DROP INDEX journeys_waiting;
