// The delivery statistics on SQLite: counted by the writer as it records tries, read by the API.
#include "store/delivery_tally.h"
#include "store/row_readers.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {

void SqliteWriteTxn::count_attempt(const AttemptRecord& record) { delivery_tally_.add(record); }

Result<void> SqliteWriteTxn::write_delivery_stats() {
  const std::string rows = delivery_tally_.json_rows();
  if (rows.empty()) return {};
  Statement& upsert = prepare(stats_upsert_sql("json_each($1) AS r"));
  upsert.bind(1, rows);
  if (auto r = upsert.run(); !r) return r;
  delivery_tally_.clear();
  return {};
}

Result<int64_t> SqliteWriteTxn::purge_delivery_stats(int64_t before_minute) {
  Statement& remove = prepare(kStatsPurgeSql);
  remove.bind(1, before_minute);
  if (auto r = remove.run(); !r) return std::unexpected(r.error());
  return connection_.changes();
}

Result<StatsReport> SqliteStore::delivery_stats(const std::string& workspace_id,
                                                const StatsWindow& window) {
  std::lock_guard lock(mutex_);
  StatsReport report;
  report.steps.resize(window.steps());
  const bool one_webhook = !window.webhook_id.empty();
  Statement series(connection_.handle(), stats_series_sql(one_webhook));
  series.bind(1, window.from_minute)
      .bind(2, window.step_minutes)
      .bind(3, workspace_id)
      .bind(4, window.until_minute);
  if (one_webhook) series.bind(5, window.webhook_id);
  while (true) {
    auto row = series.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    put_step(report, series.integer(0), rows::attempt_counts(series, 1));
  }
  if (one_webhook) return report;

  Statement by_webhook(connection_.handle(), stats_by_webhook_sql());
  by_webhook.bind(1, workspace_id).bind(2, window.from_minute).bind(3, window.until_minute);
  while (true) {
    auto row = by_webhook.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    report.by_webhook.emplace_back(by_webhook.text(0), rows::attempt_counts(by_webhook, 1));
  }
  return report;
}

}  // namespace hookline::store::sqlite
