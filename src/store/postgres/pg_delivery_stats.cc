// The delivery statistics on PostgreSQL: counted by each node's writer as it records tries (the
// upsert adds to what other nodes counted in the same minute), read by the API.
#include "store/delivery_tally.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {

void PgWriteTxn::count_attempt(const AttemptRecord& record) { delivery_tally_.add(record); }

Result<void> PgWriteTxn::write_delivery_stats() {
  // One statement for the batch; its rows in key order (the tally's), so that writers of several
  // nodes adding to the same rows take their locks in one order and never deadlock.
  const std::string rows = delivery_tally_.json_rows();
  if (rows.empty()) return {};
  auto upserted = db().query(stats_upsert_sql("json_array_elements($1::json) AS r(value)"), {rows});
  if (!upserted) return std::unexpected(upserted.error());
  delivery_tally_.clear();
  return {};
}

Result<int64_t> PgWriteTxn::purge_delivery_stats(int64_t before_minute) {
  auto removed = db().query(kStatsPurgeSql, {before_minute});
  if (!removed) return std::unexpected(removed.error());
  return removed->rows_affected();
}

Result<StatsReport> PgStore::delivery_stats(const std::string& workspace_id,
                                            const StatsWindow& window) {
  return with_connection<StatsReport>([&](PgConnection& db) -> Result<StatsReport> {
    StatsReport report;
    report.steps.resize(window.steps());
    const bool one_webhook = !window.webhook_id.empty();
    auto series = one_webhook
                      ? db.query(stats_series_sql(true),
                                 {window.from_minute, window.step_minutes, workspace_id,
                                  window.until_minute, window.webhook_id})
                      : db.query(stats_series_sql(false), {window.from_minute, window.step_minutes,
                                                           workspace_id, window.until_minute});
    if (!series) return std::unexpected(series.error());
    for (int row = 0; row < series->rows(); ++row) {
      put_step(report, series->integer(row, 0), read_attempt_counts(*series, row, 1));
    }
    if (one_webhook) return report;

    auto by_webhook =
        db.query(stats_by_webhook_sql(), {workspace_id, window.from_minute, window.until_minute});
    if (!by_webhook) return std::unexpected(by_webhook.error());
    for (int row = 0; row < by_webhook->rows(); ++row) {
      report.by_webhook.emplace_back(by_webhook->text(row, 0),
                                     read_attempt_counts(*by_webhook, row, 1));
    }
    return report;
  });
}

}  // namespace hookline::store::postgres
