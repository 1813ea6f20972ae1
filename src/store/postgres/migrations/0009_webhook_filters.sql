-- Hookline schema, version 9: filters on a webhook's subscription.
-- A subscribed event makes a delivery only when every filter holds for it: a JSON array of
-- {"field", "op", "value"}, as journey triggers have them; empty sends every subscribed event.

ALTER TABLE webhooks ADD COLUMN filters text NOT NULL DEFAULT '[]';
