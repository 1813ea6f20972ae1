// Journeys on the read connection: the management API's side.
#include "core/journey_path.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

Result<void> SqliteStore::insert_journey(const JourneyRow& j) {
  std::lock_guard lock(mutex_);
  Statement insert(connection_.handle(),
                   "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, "
                   "trigger_event, created_at, updated_at, goal_event, wait_events) VALUES (?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, j.id)
      .bind(2, j.workspace_id)
      .bind(3, j.name)
      .bind(4, journey_status_name(j.status))
      .bind(5, j.reenter_every_time ? "every_time" : "once")
      .bind(6, j.graph)
      .bind(7, j.trigger_event)
      .bind(8, j.created_at)
      .bind(9, j.updated_at)
      .bind(10, j.goal_event)
      .bind(11, j.wait_events);
  return insert.run();
}

Result<JourneyRow> SqliteStore::get_journey(const std::string& workspace_id,
                                            const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kJourneyColumns) +
                      " FROM journeys j WHERE j.workspace_id = ? AND j.id = ?");
  query.bind(1, workspace_id).bind(2, id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no journey with id " + id));
  return read_journey(query);
}

Result<Page<JourneyRow>> SqliteStore::list_journeys(const std::string& workspace_id,
                                                    const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(
      connection_.handle(),
      "SELECT " + std::string(kJourneyColumns) +
          " FROM journeys j WHERE j.workspace_id = ? AND j.id > ? ORDER BY j.id LIMIT ?");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  return read_page<JourneyRow>(query, page.limit, read_journey);
}

Result<void> SqliteStore::update_journey(const JourneyRow& j) {
  std::lock_guard lock(mutex_);
  Statement update(connection_.handle(),
                   "UPDATE journeys SET name = ?, reentry = ?, graph = ?, trigger_event = ?, "
                   "updated_at = ?, goal_event = ?, wait_events = ? WHERE workspace_id = ? AND "
                   "id = ?");
  update.bind(1, j.name)
      .bind(2, j.reenter_every_time ? "every_time" : "once")
      .bind(3, j.graph)
      .bind(4, j.trigger_event)
      .bind(5, j.updated_at)
      .bind(6, j.goal_event)
      .bind(7, j.wait_events)
      .bind(8, j.workspace_id)
      .bind(9, j.id);
  return update.run_changing(Error::not_found("no journey with id " + j.id));
}

Result<void> SqliteStore::set_journey_status(const std::string& workspace_id, const std::string& id,
                                             JourneyStatus status, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement update(
      connection_.handle(),
      "UPDATE journeys SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ?");
  update.bind(1, journey_status_name(status)).bind(2, now_ms).bind(3, workspace_id).bind(4, id);
  return update.run_changing(Error::not_found("no journey with id " + id));
}

Result<void> SqliteStore::delete_journey(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement remove(connection_.handle(), "DELETE FROM journeys WHERE workspace_id = ? AND id = ?");
  remove.bind(1, workspace_id).bind(2, id);
  return remove.run_changing(Error::not_found("no journey with id " + id));
}

Result<std::map<std::string, BlockStats>> SqliteStore::journey_stats(
    const std::string& workspace_id, const std::string& journey_id) {
  std::lock_guard lock(mutex_);
  std::map<std::string, BlockStats> stats;
  Statement counts(connection_.handle(),
                   "SELECT c.path, c.runs FROM journey_path_counts c JOIN journeys j ON j.id = "
                   "c.journey_id WHERE c.journey_id = ? AND j.workspace_id = ?");
  counts.bind(1, journey_id).bind(2, workspace_id);
  while (true) {
    auto row = counts.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (!add_path_counts(counts.text(0), counts.integer(1), stats)) {
      return std::unexpected(
          Error{ErrorCode::kInternal, "journey " + journey_id + " has a broken path count", {}});
    }
  }
  Statement waiting(connection_.handle(),
                    "SELECT block_id, COUNT(*) FROM enrolments WHERE journey_id = ? AND "
                    "workspace_id = ? AND status = 'waiting' GROUP BY block_id");
  waiting.bind(1, journey_id).bind(2, workspace_id);
  while (true) {
    auto row = waiting.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    stats[waiting.text(0)].waiting = waiting.integer(1);
  }
  return stats;
}

Result<Page<Enrolment>> SqliteStore::contact_enrolments(const std::string& workspace_id,
                                                        const std::string& contact_id,
                                                        const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kEnrolmentColumns) +
                      " FROM enrolments e WHERE e.workspace_id = ?1 AND e.contact_id = ?2 AND (?3 "
                      "= '' OR e.id < ?3) ORDER BY e.id DESC LIMIT ?4");
  query.bind(1, workspace_id).bind(2, contact_id).bind(3, page.cursor);
  query.bind(4, int64_t{page.limit + 1});
  return read_page<Enrolment>(query, page.limit, read_enrolment);
}

}  // namespace hookline::store::sqlite
