-- The nodes sharing the database, each with the last time it said it was alive (every second):
-- the nodes alive share every webhook's max_in_flight and rate limit, each taking its part, so
-- that the cluster as a whole keeps to them. A node that stops saying so drops out of the count
-- a few seconds later; its row stays, harmless, until it comes back under the same --node-id.
CREATE TABLE nodes (
  id       text COLLATE "C" PRIMARY KEY,  -- --node-id
  seen_at  bigint NOT NULL                -- Unix ms, the node's clock
);
