-- Hookline schema, version 13: why Hookline disabled a webhook itself.
-- A receiver that answers 410 Gone says it will never take calls again: the webhook is disabled
-- at once, with the reason and the time, until a user enables it again (which clears them).

ALTER TABLE webhooks ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE webhooks ADD COLUMN disabled_at INTEGER NOT NULL DEFAULT 0;
