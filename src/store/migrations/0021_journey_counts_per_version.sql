-- Hookline schema, version 21: a journey's counts per version.
-- The runs through a journey were counted over all its versions at once; they are now counted per
-- version, so an older version shows how many contacts took each of its blocks, and the journey's
-- counts add its versions up. Runs counted before, of a journey that already had more than one
-- version, cannot be told apart: they become version 0, counted in the journey's totals and in no
-- version's. A journey that never had a second version has them all on its version 1.

CREATE TABLE journey_path_counts_per_version (
  journey_id  TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,          -- 0: runs counted before versions were counted apart
  path        TEXT NOT NULL,             -- steps: mark (= passed, + entered, - left), length, ':', id
  runs        INTEGER NOT NULL,
  PRIMARY KEY (journey_id, version, path)
) WITHOUT ROWID;

INSERT INTO journey_path_counts_per_version (journey_id, version, path, runs)
  SELECT c.journey_id, CASE WHEN j.version = 1 THEN 1 ELSE 0 END, c.path, c.runs
  FROM journey_path_counts c JOIN journeys j ON j.id = c.journey_id;
DROP TABLE journey_path_counts;
ALTER TABLE journey_path_counts_per_version RENAME TO journey_path_counts;
