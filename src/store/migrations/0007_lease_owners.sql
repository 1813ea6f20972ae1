-- Hookline schema, version 7: leases with an owner and a number.
-- A delivery being sent is leased to one node (lease_owner: its --node-id) under a number that
-- grows with every claim of the delivery (lease_number). Whatever a node writes about a delivery
-- it holds (the attempt's outcome, giving it back) names both, so a node whose lease ran out while
-- it was busy cannot overwrite what the delivery's next holder did; and a node that starts again
-- ends only its own leases, never those of other nodes sharing the store.
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN lease_number INTEGER NOT NULL DEFAULT 0;

-- Version 6 leases had no owner; only one process ever used this file, and its start-up ended
-- every lease. Migrating is such a start: what was in flight is due now (or when it was due).
UPDATE deliveries
  SET next_attempt_at = MIN(next_attempt_at,
                            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
      lease_number = 1
  WHERE leased = 1 AND status IN ('pending', 'retrying');
ALTER TABLE deliveries DROP COLUMN leased;
