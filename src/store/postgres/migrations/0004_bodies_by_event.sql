-- Retention keeps every event whose details a stored delivery body still holds out of line
-- (store/body_splice.h). With one writer, bodies and their events are numbered in the same order,
-- so the first body names the oldest event still needed. Several nodes' writers number rows as
-- they insert them, not as they commit, so a body can be numbered before another whose event is
-- older: the oldest event needed is the smallest event_seq of any body, which this index finds
-- in one lookup.
CREATE INDEX delivery_bodies_by_event ON delivery_bodies (event_seq) WHERE event_seq IS NOT NULL;
