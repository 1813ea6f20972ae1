-- Hookline schema, version 4: per-webhook isolation settings and secret rotation.

ALTER TABLE webhooks ADD COLUMN max_in_flight INTEGER NOT NULL DEFAULT 10;
ALTER TABLE webhooks ADD COLUMN rate_limit_per_second INTEGER NOT NULL DEFAULT 0;  -- 0: none
-- During a rotation the old secret keeps signing (a second signature) until it expires.
ALTER TABLE webhooks ADD COLUMN previous_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at INTEGER NOT NULL DEFAULT 0;
