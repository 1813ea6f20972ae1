-- Hookline schema, version 13: journey goals.
-- A journey's goal block names an event: when it happens to a contact waiting in the journey, the
-- contact leaves, counted as converted. Kept beside the trigger's event so that an event finds the
-- journeys whose goal it is by an index, as it finds the journeys it starts.

ALTER TABLE journeys ADD COLUMN goal_event text NOT NULL DEFAULT '';  -- '': no goal
CREATE INDEX journeys_by_goal ON journeys (workspace_id, goal_event)
  WHERE status = 'active' AND goal_event <> '';
