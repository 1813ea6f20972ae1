-- Hookline schema, version 5: per-block counts stored per path.
-- A write batch used to add to one row per block each contact passed; it now adds to one row per
-- distinct way through a journey (core/journey_path.h), and reading a journey's counts adds its
-- few paths up. WITHOUT ROWID: each upsert is one tree lookup and one page change.

CREATE TABLE journey_path_counts (
  journey_id  TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  path        TEXT NOT NULL,             -- steps: mark (= passed, + entered, - left), length, ':', id
  runs        INTEGER NOT NULL,
  PRIMARY KEY (journey_id, path)
) WITHOUT ROWID;

-- The old counts, as one-step paths: entered as '+', left as '-'. Lengths are in bytes.
INSERT INTO journey_path_counts (journey_id, path, runs)
  SELECT journey_id, '+' || length(CAST(block_id AS BLOB)) || ':' || block_id, entered
  FROM journey_block_stats WHERE entered > 0;
INSERT INTO journey_path_counts (journey_id, path, runs)
  SELECT journey_id, '-' || length(CAST(block_id AS BLOB)) || ':' || block_id, left_count
  FROM journey_block_stats WHERE left_count > 0;
DROP TABLE journey_block_stats;
