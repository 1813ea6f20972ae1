-- Hookline schema, version 19: webhooks that deliver one at a time per contact.
-- A webhook with ordering 'per_contact' keys each delivery by its contact (order_key; '' for
-- every other delivery): a chain. While one of a chain's deliveries is unfinished (pending or
-- retrying: its head), the chain's later ones wait as 'queued', out of the due index; recording
-- the head's end makes the oldest queued one pending. Two small partial indexes: the chains'
-- heads, and the queued deliveries in order. (Queries repeat their predicates word for word:
-- SQLite uses a partial index only for a query whose WHERE holds each of its terms.)

ALTER TABLE webhooks ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';  -- none | per_contact
ALTER TABLE deliveries ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
CREATE INDEX deliveries_chain_heads ON deliveries(webhook_id, order_key)
  WHERE order_key <> '' AND status IN ('pending', 'retrying');
CREATE INDEX deliveries_queued ON deliveries(webhook_id, order_key, seq) WHERE status = 'queued';
