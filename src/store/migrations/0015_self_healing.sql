-- Hookline schema, version 15: self-healing.
-- A webhook Hookline disabled itself (disabled_reason) is probed with the Test request on a slow
-- backoff; when its receiver answers 200 again it is enabled again (healed_at), unless the user
-- turned self_heal off. The probes are counted beside it, so a restart or another node goes on
-- with the same backoff and only one node probes each time.

ALTER TABLE webhooks ADD COLUMN self_heal INTEGER NOT NULL DEFAULT 1;
ALTER TABLE webhooks ADD COLUMN healed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_health ADD COLUMN probes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_health ADD COLUMN next_probe_at INTEGER NOT NULL DEFAULT 0;  -- 0: the first, after --heal-probe-after
