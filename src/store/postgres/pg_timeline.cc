// A contact's timeline, read backwards from the logs (core/contact_timeline.h).
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace hookline::store::postgres {
namespace {

// Reads one log backwards from seq `before` into `scan`, each row through `add_row`, as far as
// `limits` allow; a log at position 0 was read to its start already.
template <typename AddRow>
Result<void> read_log(PgConnection& db, const std::string& sql, const std::string& workspace_id,
                      const std::string& contact_id, int64_t before, const ActivityLimits& limits,
                      LogScan& scan, AddRow add_row) {
  if (before == 0) {
    scan.reached_start = true;
    return {};
  }
  auto found = db.query(sql, {workspace_id, contact_id, before, limits.rows});
  if (!found) return std::unexpected(found.error());
  int theirs = 0;
  for (int row = 0; row < found->rows() && theirs < limits.theirs; ++row) {
    add_row(*found, row);
    if (scan.rows.back().theirs) ++theirs;
  }
  scan.reached_start = theirs < limits.theirs && found->rows() < limits.rows;
  return {};
}

}  // namespace

Result<ContactActivity> PgStore::read_contact_activity(const std::string& workspace_id,
                                                       const std::string& contact_id,
                                                       const TimelinePosition& from,
                                                       const ActivityLimits& limits) {
  return with_connection<ContactActivity>([&](PgConnection& db) -> Result<ContactActivity> {
    ContactActivity activity;
    auto events = read_log(
        db, std::string(rows::kTimelineEventsSql), workspace_id, contact_id, from.event_seq, limits,
        activity.event_rows,
        [&](const PgResult& result, int row) { add_timeline_event(result, row, activity); });
    if (!events) return std::unexpected(events.error());
    auto deliveries = read_log(
        db, rows::kTimelineDeliveriesSql, workspace_id, contact_id, from.delivery_seq, limits,
        activity.delivery_rows,
        [&](const PgResult& result, int row) { add_timeline_delivery(result, row, activity); });
    if (!deliveries) return std::unexpected(deliveries.error());
    return activity;
  });
}

}  // namespace hookline::store::postgres
