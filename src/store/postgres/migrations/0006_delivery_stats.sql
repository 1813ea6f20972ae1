-- Hookline schema, version 6: delivery statistics kept per webhook and minute.
-- Each node's writer adds its batch's tries to one row per webhook, minute and node as it
-- commits, so the console's numbers read a few rows per minute of a window instead of the
-- delivery log.
-- Latency is counted in buckets (core/delivery_stats.h): l0 <= 10 ms, l1 <= 25, l2 <= 50,
-- l3 <= 100, l4 <= 250, l5 <= 500, l6 <= 1 s, l7 <= 2.5 s, l8 <= 5 s, l9 <= 10 s, l10 <= 30 s,
-- l11 <= 60 s, l12 longer. Rows are kept 8 days.

CREATE TABLE delivery_stats (
  workspace_id  text COLLATE "C" NOT NULL,
  minute        bigint NOT NULL,           -- Unix ms / 60000 of the tries' start
  webhook_id    text COLLATE "C" NOT NULL,
  node          text COLLATE "C" NOT NULL,          -- the node that recorded the tries (--node-id)
  attempts      bigint NOT NULL,
  succeeded     bigint NOT NULL,           -- answered 2xx
  dead          bigint NOT NULL,           -- deliveries that died at this try
  duration_ms   bigint NOT NULL,           -- summed
  l0 bigint NOT NULL, l1 bigint NOT NULL, l2 bigint NOT NULL, l3 bigint NOT NULL,
  l4 bigint NOT NULL, l5 bigint NOT NULL, l6 bigint NOT NULL, l7 bigint NOT NULL,
  l8 bigint NOT NULL, l9 bigint NOT NULL, l10 bigint NOT NULL, l11 bigint NOT NULL,
  l12 bigint NOT NULL,
  -- Minute first: a window is one range, and so is what retention removes. A row per node: nodes
  -- sharing a store never wait for each other's commit on a row they all add to.
  PRIMARY KEY (minute, workspace_id, webhook_id, node)
);
