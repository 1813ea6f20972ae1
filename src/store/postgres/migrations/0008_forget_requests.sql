-- Hookline schema, version 8: forgetting deleted contacts (the right to be forgotten).
-- Deleting a contact removes its row, list memberships and journey enrolments at once, and leaves
-- a request here; the background worker of any node (store/retention.h) then removes, in small
-- steps, the deliveries (with bodies and attempts) of the contact's events and the events
-- themselves, up to the rows that existed when it was deleted. The request goes when the work is
-- done; its progress survives a restart.

CREATE TABLE forget_requests (
  workspace_id          text COLLATE "C" NOT NULL,
  contact_id            text COLLATE "C" NOT NULL,
  requested_at          bigint NOT NULL,  -- Unix ms
  through_delivery_seq  bigint NOT NULL,  -- deliveries up to this seq are looked at
  through_event_seq     bigint NOT NULL,  -- and events up to this one
  deliveries_done       bigint NOT NULL,  -- the last delivery seq looked at so far
  events_done           bigint NOT NULL,  -- the last event seq looked at so far
  PRIMARY KEY (workspace_id, contact_id)
);
