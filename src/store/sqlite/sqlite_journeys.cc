// Journeys on the read connection: the management API's side.
#include "core/journey_path.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

namespace {

const char* reentry_name(const JourneyRow& journey) {
  return journey.reenter_every_time ? "every_time" : "once";
}

// The journey's graph as its version `j.version`, saved at `saved_at`.
Result<void> insert_version(Connection& connection, const JourneyRow& j, int64_t saved_at) {
  Statement insert(connection.handle(), std::string(kInsertJourneyVersionSql));
  insert.bind(1, j.id)
      .bind(2, int64_t{j.version})
      .bind(3, j.graph)
      .bind(4, j.goal_event)
      .bind(5, j.wait_events)
      .bind(6, saved_at);
  return insert.run();
}

}  // namespace

Result<void> SqliteStore::insert_journey(const JourneyRow& j) {
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return r;
  Statement insert(
      connection_.handle(),
      "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, "
      "trigger_event, created_at, updated_at, goal_event, wait_events, version) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, j.id)
      .bind(2, j.workspace_id)
      .bind(3, j.name)
      .bind(4, journey_status_name(j.status))
      .bind(5, reentry_name(j))
      .bind(6, j.graph)
      .bind(7, j.trigger_event)
      .bind(8, j.created_at)
      .bind(9, j.updated_at)
      .bind(10, j.goal_event)
      .bind(11, j.wait_events)
      .bind(12, int64_t{j.version});
  if (auto r = insert.run(); !r) return r;
  if (auto r = insert_version(connection_, j, j.created_at); !r) return r;
  return tx.commit();
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

Result<void> SqliteStore::update_journey(const JourneyRow& j, const JourneyRow& before) {
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return r;
  Statement update(connection_.handle(), std::string(kUpdateJourneySql));
  update.bind(1, j.name)
      .bind(2, reentry_name(j))
      .bind(3, j.graph)
      .bind(4, j.trigger_event)
      .bind(5, j.updated_at)
      .bind(6, j.goal_event)
      .bind(7, j.wait_events)
      .bind(8, int64_t{j.version})
      .bind(9, j.workspace_id)
      .bind(10, j.id)
      .bind(11, int64_t{before.version})
      .bind(12, before.updated_at);
  if (auto r = update.run(); !r) return r;
  if (connection_.changes() == 0) {
    Statement exists(connection_.handle(),
                     "SELECT 1 FROM journeys WHERE workspace_id = ? AND id = ?");
    exists.bind(1, j.workspace_id).bind(2, j.id);
    auto found = exists.step();
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::unexpected(Error::not_found("no journey with id " + j.id));
    return std::unexpected(Error{
        ErrorCode::kConflict, "journey " + j.id + " was changed meanwhile; load it again", {}});
  }
  if (j.version == before.version) {
    Statement replace(connection_.handle(), std::string(kReplaceJourneyVersionSql));
    replace.bind(1, j.graph)
        .bind(2, j.goal_event)
        .bind(3, j.wait_events)
        .bind(4, j.id)
        .bind(5, int64_t{j.version});
    if (auto r = replace.run(); !r) return r;
  } else if (auto r = insert_version(connection_, j, j.updated_at); !r) {
    return r;
  }
  return tx.commit();
}

Result<void> SqliteStore::set_journey_status(const std::string& workspace_id, const std::string& id,
                                             JourneyStatus status, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement update(
      connection_.handle(),
      "UPDATE journeys SET status = ?, updated_at = MAX(?, updated_at + 1) WHERE workspace_id = ? "
      "AND id = ?");
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
  return block_stats(workspace_id, journey_id, kAllVersions);
}

Result<std::map<std::string, BlockStats>> SqliteStore::version_stats(
    const std::string& workspace_id, const std::string& journey_id, int version) {
  return block_stats(workspace_id, journey_id, version);
}

Result<std::map<std::string, BlockStats>> SqliteStore::block_stats(const std::string& workspace_id,
                                                                   const std::string& journey_id,
                                                                   int version) {
  std::lock_guard lock(mutex_);
  std::map<std::string, BlockStats> stats;
  Statement counts(connection_.handle(), std::string(kJourneyPathCountsSql));
  counts.bind(1, workspace_id).bind(2, journey_id).bind(3, int64_t{version});
  while (true) {
    auto row = counts.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (!add_path_counts(counts.text(0), counts.integer(1), stats)) {
      return std::unexpected(
          Error{ErrorCode::kInternal, "journey " + journey_id + " has a broken path count", {}});
    }
  }
  Statement waiting(connection_.handle(), std::string(kJourneyWaitingSql));
  waiting.bind(1, workspace_id).bind(2, journey_id).bind(3, int64_t{version});
  while (true) {
    auto row = waiting.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    stats[waiting.text(0)].waiting = waiting.integer(1);
  }
  return stats;
}

Result<JourneyRow> SqliteStore::get_journey_version(const std::string& workspace_id,
                                                    const std::string& id, int version) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kJourneyVersionColumns) +
                      std::string(kJourneyVersionFrom) +
                      " WHERE j.workspace_id = ? AND v.journey_id = ? AND v.version = ?");
  query.bind(1, workspace_id).bind(2, id).bind(3, int64_t{version});
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return std::unexpected(
        Error::not_found("journey " + id + " has no version " + std::to_string(version)));
  }
  return read_journey(query);
}

Result<std::vector<JourneyVersionInfo>> SqliteStore::journey_versions(
    const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), std::string(kJourneyVersionsSql));
  query.bind(1, workspace_id).bind(2, id);
  auto versions = read_all<JourneyVersionInfo>(query, [](const Statement& row) {
    return JourneyVersionInfo{static_cast<int>(row.integer(0)), row.integer(1), row.integer(2)};
  });
  if (versions && versions->empty()) {
    return std::unexpected(Error::not_found("no journey with id " + id));
  }
  return versions;
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
