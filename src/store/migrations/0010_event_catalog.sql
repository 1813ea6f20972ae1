-- Hookline schema, version 10: the catalog of what clients send.
-- The event names seen in each workspace with a recent example of their details, and the keys
-- seen in each name's details and in contacts' properties, for the console's event catalog and
-- placeholder picker. The writer adds only news (store/event_catalog.h): a name or key seen for the
-- first time, or an example older than an hour.

CREATE TABLE event_types (
  workspace_id        TEXT NOT NULL,
  name                TEXT NOT NULL,
  first_seen_at       INTEGER NOT NULL,  -- Unix ms
  last_seen_at        INTEGER NOT NULL,  -- to within an hour: when the example was taken
  example             TEXT,              -- the details of an event of this name, as JSON; NULL
                                         -- when they were too large to keep
  example_contact_id  TEXT NOT NULL,     -- whose event the example is (forgetting a contact)
  PRIMARY KEY (workspace_id, name)
) WITHOUT ROWID;

CREATE TABLE catalog_keys (
  workspace_id   TEXT NOT NULL,
  scope          TEXT NOT NULL,     -- 'event:' and the name, or 'contact' for properties
  path           TEXT NOT NULL,     -- dotted, as a placeholder names it
  first_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, scope, path)
) WITHOUT ROWID;
