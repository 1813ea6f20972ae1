-- Hookline schema, version 7: the catalog of what clients send.
-- The event names seen in each workspace with a recent example of their details, and the keys
-- seen in each name's details and in contacts' properties, for the console's event catalog and
-- placeholder picker. Each node's writer adds only news (store/event_catalog.h): a name or key it
-- has not stored yet, or an example older than an hour.

CREATE TABLE event_types (
  workspace_id        text COLLATE "C" NOT NULL,
  name                text COLLATE "C" NOT NULL,
  first_seen_at       bigint NOT NULL,  -- Unix ms
  last_seen_at        bigint NOT NULL,  -- to within an hour: when the example was taken
  example             text,             -- the details of an event of this name, as JSON; NULL
                                        -- when they were too large to keep
  example_contact_id  text COLLATE "C" NOT NULL,  -- whose event the example is
  PRIMARY KEY (workspace_id, name)
);

CREATE TABLE catalog_keys (
  workspace_id   text COLLATE "C" NOT NULL,
  scope          text COLLATE "C" NOT NULL,  -- 'event:' and the name, or 'contact'
  path           text COLLATE "C" NOT NULL,  -- dotted, as a placeholder names it
  first_seen_at  bigint NOT NULL,
  PRIMARY KEY (workspace_id, scope, path)
);
