-- Hookline schema, version 19: webhooks that deliver one at a time per contact.
-- A webhook with ordering 'per_contact' keys each delivery by its contact (order_key; '' for
-- every other delivery). While one of a key's deliveries is unfinished, the key's next ones wait
-- as 'queued', out of the due index; when it ends, recording that makes the oldest queued one
-- pending. The partial index finds a key's unfinished deliveries, oldest first.

ALTER TABLE webhooks ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';  -- none | per_contact
ALTER TABLE deliveries ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
CREATE INDEX deliveries_in_order ON deliveries(webhook_id, order_key, seq)
  WHERE order_key <> '' AND status IN ('pending', 'retrying', 'queued');
