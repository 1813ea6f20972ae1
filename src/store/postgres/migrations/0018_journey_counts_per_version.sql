-- Hookline schema, version 18: a journey's counts per version.
-- The runs through a journey were counted over all its versions at once; they are now counted per
-- version, so an older version shows how many contacts took each of its blocks, and the journey's
-- counts add its versions up. Runs counted before, of a journey that already had more than one
-- version, cannot be told apart: they become version 0, counted in the journey's totals and in no
-- version's. A journey that never had a second version has them all on its version 1.

ALTER TABLE journey_path_counts ADD COLUMN version integer NOT NULL DEFAULT 0;
UPDATE journey_path_counts c SET version = 1 FROM journeys j WHERE j.id = c.journey_id AND
  j.version = 1;
ALTER TABLE journey_path_counts ALTER COLUMN version DROP DEFAULT;
ALTER TABLE journey_path_counts DROP CONSTRAINT journey_path_counts_pkey,
  ADD PRIMARY KEY (journey_id, version, path);
