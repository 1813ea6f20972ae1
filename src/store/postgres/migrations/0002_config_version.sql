-- Which configuration a node's caches hold. Nodes cache what listens to an event (webhooks and
-- their subscriptions, active journeys) and each webhook's compiled configuration; a change made
-- through any node must reach every node's caches within seconds. Triggers, rather than the code
-- that changes these tables, bump the version and say what changed, so that no change can forget
-- to: a writer compares the version once per batch, and every node LISTENs on hookline_config
-- for the webhook ids to drop at once.

CREATE TABLE config_version (
  id       integer PRIMARY KEY CHECK (id = 1),  -- one row
  version  bigint NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE FUNCTION config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE config_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_changed AFTER INSERT OR UPDATE OR DELETE ON webhooks
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER webhook_events_changed AFTER INSERT OR UPDATE OR DELETE ON webhook_events
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER journeys_changed AFTER INSERT OR UPDATE OR DELETE ON journeys
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();

-- The payload is the webhook's id: each node drops that webhook's cached configuration.
CREATE FUNCTION webhook_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hookline_config', 'webhook:' || COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_notify AFTER INSERT OR UPDATE OR DELETE ON webhooks
  FOR EACH ROW EXECUTE FUNCTION webhook_changed();
