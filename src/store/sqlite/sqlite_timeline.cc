// A contact's timeline, read backwards from the logs (core/contact_timeline.h).
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {
namespace {

// Reads one log backwards from seq `before` into `scan`, each row through `add_row`, as far as
// `limits` allow; a log at position 0 was read to its start already.
template <typename AddRow>
Result<void> read_log(sqlite3* db, std::string_view sql, const std::string& workspace_id,
                      const std::string& contact_id, int64_t before, const ActivityLimits& limits,
                      LogScan& scan, AddRow add_row) {
  if (before == 0) {
    scan.reached_start = true;
    return {};
  }
  Statement query(db, sql);
  query.bind(1, workspace_id).bind(2, contact_id).bind(3, before).bind(4, int64_t{limits.rows});
  int theirs = 0;
  while (theirs < limits.theirs) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      scan.reached_start = scan.rows.size() < static_cast<size_t>(limits.rows);
      return {};
    }
    add_row(query);
    if (scan.rows.back().theirs) ++theirs;
  }
  return {};
}

}  // namespace

Result<ContactActivity> SqliteStore::read_contact_activity(const std::string& workspace_id,
                                                           const std::string& contact_id,
                                                           const TimelinePosition& from,
                                                           const ActivityLimits& limits) {
  ContactActivity activity;
  std::lock_guard lock(mutex_);
  auto events = read_log(connection_.handle(), rows::kTimelineEventsSql, workspace_id, contact_id,
                         from.event_seq, limits, activity.event_rows,
                         [&](const Statement& row) { add_timeline_event(row, activity); });
  if (!events) return std::unexpected(events.error());
  auto deliveries = read_log(connection_.handle(), rows::kTimelineDeliveriesSql, workspace_id,
                             contact_id, from.delivery_seq, limits, activity.delivery_rows,
                             [&](const Statement& row) { add_timeline_delivery(row, activity); });
  if (!deliveries) return std::unexpected(deliveries.error());
  return activity;
}

}  // namespace hookline::store::sqlite
