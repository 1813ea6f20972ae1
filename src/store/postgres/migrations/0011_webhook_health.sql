-- Hookline schema, version 11: how long a webhook has been failing.
-- A webhook whose breaker stays open (every probe failing) for --disable-failing-after (5 days by
-- default) is disabled. The time it started failing is kept here rather than in memory, so that
-- a restart does not start the count again, and beside the webhooks rather than in their table,
-- whose every change is a configuration change (no trigger fires here).

CREATE TABLE webhook_health (
  webhook_id     text PRIMARY KEY REFERENCES webhooks(id) ON DELETE CASCADE,
  failing_since  bigint NOT NULL DEFAULT 0  -- Unix ms its breaker opened and stayed open; 0: not failing
);
