-- Hookline schema, version 17: journeys' Wait until blocks.
-- A Wait until block may hold a contact until an event happens to it. The names of the events a
-- journey's blocks wait for are kept beside its trigger's and its goal's, as ' a b ' (names have
-- no spaces), so that an event finds the journeys that wait for it without reading their graphs;
-- the partial index holds only the journeys that wait for any.

ALTER TABLE journeys ADD COLUMN wait_events TEXT NOT NULL DEFAULT '';  -- '': waits for none
CREATE INDEX journeys_waiting ON journeys(workspace_id)
  WHERE status = 'active' AND wait_events <> '';
