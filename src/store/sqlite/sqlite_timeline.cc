// A contact's timeline, read backwards from the logs (core/contact_timeline.h).
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {
namespace {

// Reads one log backwards from `before` into `scan`, through `add_row`, as far as `limits` allow.
template <typename AddRow>
Result<void> read_log(Statement& query, LogScan& scan, const ActivityLimits& limits,
                      AddRow add_row) {
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
  activity.event_rows.reached_start = from.event_seq == 0;
  activity.delivery_rows.reached_start = from.delivery_seq == 0;
  std::lock_guard lock(mutex_);
  if (from.event_seq > 0) {
    Statement events(connection_.handle(), rows::kTimelineEventsSql);
    events.bind(1, workspace_id)
        .bind(2, contact_id)
        .bind(3, from.event_seq)
        .bind(4, int64_t{limits.rows});
    auto read = read_log(events, activity.event_rows, limits,
                         [&](const Statement& row) { add_timeline_event(row, activity); });
    if (!read) return std::unexpected(read.error());
  }
  if (from.delivery_seq > 0) {
    Statement deliveries(connection_.handle(), rows::kTimelineDeliveriesSql);
    deliveries.bind(1, workspace_id)
        .bind(2, contact_id)
        .bind(3, from.delivery_seq)
        .bind(4, int64_t{limits.rows});
    auto read = read_log(deliveries, activity.delivery_rows, limits,
                         [&](const Statement& row) { add_timeline_delivery(row, activity); });
    if (!read) return std::unexpected(read.error());
  }
  return activity;
}

}  // namespace hookline::store::sqlite
