-- Hookline schema, version 18: journeys' Webhook blocks that wait for the answer.
-- A contact may wait at a Webhook block until the delivery it made ends (succeeded or dead).
-- Recording that outcome finds the waiting enrolment by the delivery's id and makes it due at
-- once; the partial index holds only the enrolments that wait for a delivery.

ALTER TABLE enrolments ADD COLUMN waiting_delivery TEXT;  -- NULL: waits for no delivery
CREATE INDEX enrolments_awaiting ON enrolments(waiting_delivery)
  WHERE waiting_delivery IS NOT NULL;
