#include "store/delivery_tally.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace hookline::store {
namespace {

// The migrations make one column per latency bucket, l0 to l12.
static_assert(kLatencyBuckets == 13, "delivery_stats has a column per bucket: add a migration");

constexpr std::string_view kCountColumns[] = {"attempts", "succeeded", "dead", "duration_ms"};

// Each count column in order, then the buckets', each made by `each(column name)` and joined
// with ", ".
template <typename Each>
std::string each_count_column(Each each) {
  std::string out;
  auto add = [&](const std::string& column) {
    if (!out.empty()) out += ", ";
    out += each(column);
  };
  for (std::string_view column : kCountColumns) add(std::string(column));
  for (size_t i = 0; i < kLatencyBuckets; ++i) add("l" + std::to_string(i));
  return out;
}

std::string sums() {
  return each_count_column(
      [](const std::string& column) { return "CAST(SUM(" + column + ") AS BIGINT)"; });
}

}  // namespace

void DeliveryTally::add(const AttemptRecord& record) {
  const Attempt& a = record.attempt;
  job(std::tuple<int64_t, std::string_view, std::string_view, std::string_view>{
          a.started_at / 60'000, a.workspace_id, a.webhook_id, record.lease.owner})
      .add_try(record.status == DeliveryStatus::kSucceeded, record.status == DeliveryStatus::kDead,
               a.duration_ms);
}

std::string DeliveryTally::json_rows() const {
  boost::json::array rows;
  (void)for_each([&rows](const auto& key, const AttemptCounts& counts) -> Result<void> {
    boost::json::array row{std::get<1>(key), std::get<2>(key),  std::get<0>(key),
                           std::get<3>(key), counts.attempts,   counts.succeeded,
                           counts.dead,      counts.duration_ms};
    for (int64_t n : counts.latency) row.push_back(n);
    rows.push_back(std::move(row));
    return {};
  });
  return rows.empty() ? std::string() : boost::json::serialize(rows);
}

std::string stats_upsert_sql(std::string_view rows_from) {
  int field = 4;  // the key's four fields come first
  return "INSERT INTO delivery_stats (workspace_id, webhook_id, minute, node, " +
         each_count_column([](const std::string& column) { return column; }) +
         ") SELECT CAST(r.value ->> 0 AS TEXT), CAST(r.value ->> 1 AS TEXT), "
         "CAST(r.value ->> 2 AS BIGINT), CAST(r.value ->> 3 AS TEXT), " +
         each_count_column([&field](const std::string&) {
           return "CAST(r.value ->> " + std::to_string(field++) + " AS BIGINT)";
         }) +
         " FROM " + std::string(rows_from) +
         // WHERE true: SQLite could read ON CONFLICT as the join's ON without it.
         " WHERE true ON CONFLICT (minute, workspace_id, webhook_id, node) DO UPDATE SET " +
         each_count_column([](const std::string& column) {
           return column + " = delivery_stats." + column + " + excluded." + column;
         });
}

std::string stats_series_sql(bool one_webhook) {
  return "SELECT (minute - $1) / $2 AS step, " + sums() +
         " FROM delivery_stats WHERE workspace_id = $3 AND minute >= $1 AND minute < $4" +
         (one_webhook ? " AND webhook_id = $5" : "") + " GROUP BY step ORDER BY step";
}

std::string stats_by_webhook_sql() {
  return "SELECT webhook_id, " + sums() +
         " FROM delivery_stats WHERE workspace_id = $1 AND minute >= $2 AND minute < $3 GROUP BY "
         "webhook_id ORDER BY webhook_id";
}

}  // namespace hookline::store
