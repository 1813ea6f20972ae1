-- Hookline schema, version 9: delivery statistics kept per webhook and minute.
-- The writer adds a batch's tries to one row per webhook, minute and node as it commits, so the
-- console's numbers (tries, success rate, latency percentiles, deaths) read a few rows per minute
-- of a window instead of the delivery log. Latency is counted in buckets (core/delivery_stats.h):
-- l0 <= 10 ms, l1 <= 25, l2 <= 50, l3 <= 100, l4 <= 250, l5 <= 500, l6 <= 1 s, l7 <= 2.5 s,
-- l8 <= 5 s, l9 <= 10 s, l10 <= 30 s, l11 <= 60 s, l12 longer. Rows are kept 8 days.

CREATE TABLE delivery_stats (
  workspace_id  TEXT NOT NULL,
  minute        INTEGER NOT NULL,          -- Unix ms / 60000 of the tries' start
  webhook_id    TEXT NOT NULL,
  node          TEXT NOT NULL,          -- the node that recorded the tries (--node-id)
  attempts      INTEGER NOT NULL,
  succeeded     INTEGER NOT NULL,          -- answered 2xx
  dead          INTEGER NOT NULL,          -- deliveries that died at this try
  duration_ms   INTEGER NOT NULL,          -- summed
  l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL,
  l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL,
  l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL,
  l12 INTEGER NOT NULL,
  -- Minute first: a window is one range, and so is what retention removes. A row per node: nodes
  -- sharing a store never wait for each other's commit on a row they all add to.
  PRIMARY KEY (minute, workspace_id, webhook_id, node)
) WITHOUT ROWID;
