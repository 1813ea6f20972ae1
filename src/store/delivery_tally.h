#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

#include "core/delivery.h"
#include "core/delivery_stats.h"
#include "store/job_tally.h"
#include "store/store_types.h"

namespace hookline::store {

// The tries of a write batch, counted per minute, workspace, webhook and node (the lease holder
// that made them): the batch adds to each such stored row (delivery_stats) once, however many
// tries it recorded. Keyed as the table is.
class DeliveryTally
    : public JobTally<std::tuple<int64_t, std::string, std::string, std::string>, AttemptCounts> {
 public:
  // Counts a try the job recorded, in the minute it started.
  void add(const AttemptRecord& record);
  // The batch's counts as the JSON array of rows kStatsUpsertSql reads; empty when there are none.
  std::string json_rows() const;
};

// How long the per-minute rows are kept: a week's window and a day more.
inline constexpr int64_t kStatsKeptMinutes = 8 * 24 * 60;

// Puts a row of stats_series_sql's in its step; a step outside the window is ignored.
inline void put_step(StatsReport& report, int64_t step, const AttemptCounts& counts) {
  if (step >= 0 && static_cast<size_t>(step) < report.steps.size()) {
    report.steps[static_cast<size_t>(step)] = counts;
  }
}

// Adds rows of counts to delivery_stats, in both backends. `rows_from` is the FROM item that
// yields the rows (DeliveryTally::json_rows) as `r` with one JSON array per row in `r.value`:
// SQLite's json_each($1) AS r, PostgreSQL's json_array_elements($1::json) AS r(value).
std::string stats_upsert_sql(std::string_view rows_from);
// Sums per step of a window, from a first minute ($1), a step in minutes ($2), a workspace ($3)
// and an end minute ($4, excluded), and, when `one_webhook`, a webhook id ($5). Columns: the
// step's number from 0, then kStatsSumColumnCount sums (rows::attempt_counts reads them).
std::string stats_series_sql(bool one_webhook);
// Sums per webhook in the workspace ($1) over minutes [$2, $3). Columns: the webhook id, then
// the sums.
std::string stats_by_webhook_sql();
// Removes rows of minutes before $1.
inline constexpr std::string_view kStatsPurgeSql = "DELETE FROM delivery_stats WHERE minute < $1";

}  // namespace hookline::store
