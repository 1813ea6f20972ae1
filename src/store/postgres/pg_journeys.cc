// Journeys on the pool: the management API's side.
#include "core/journey_path.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace hookline::store::postgres {

namespace {

const char* reentry_name(const JourneyRow& journey) {
  return journey.reenter_every_time ? "every_time" : "once";
}

}  // namespace

Result<void> PgStore::insert_journey(const JourneyRow& j) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    PgTransaction tx(db);
    if (auto r = tx.begin(); !r) return r;
    auto inserted = db.query(
        "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, trigger_event, "
        "created_at, updated_at, goal_event, wait_events, version) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12)",
        {j.id, j.workspace_id, j.name, journey_status_name(j.status), reentry_name(j), j.graph,
         j.trigger_event, j.created_at, j.updated_at, j.goal_event, j.wait_events, j.version});
    if (!inserted) return std::unexpected(inserted.error());
    auto version = db.query(kInsertJourneyVersionSql,
                            {j.id, j.version, j.graph, j.goal_event, j.wait_events, j.created_at});
    if (!version) return std::unexpected(version.error());
    return tx.commit();
  });
}

Result<JourneyRow> PgStore::get_journey(const std::string& workspace_id, const std::string& id) {
  return with_connection<JourneyRow>([&](PgConnection& db) -> Result<JourneyRow> {
    auto found = db.query("SELECT " + std::string(kJourneyColumns) +
                              " FROM journeys j WHERE j.workspace_id = $1 AND j.id = $2",
                          {workspace_id, id});
    if (!found) return std::unexpected(found.error());
    auto journey = read_one<JourneyRow>(*found, read_journey);
    if (!journey) return std::unexpected(Error::not_found("no journey with id " + id));
    return std::move(*journey);
  });
}

Result<Page<JourneyRow>> PgStore::list_journeys(const std::string& workspace_id,
                                                const PageRequest& page) {
  return with_connection<Page<JourneyRow>>([&](PgConnection& db) -> Result<Page<JourneyRow>> {
    auto found = db.query(
        "SELECT " + std::string(kJourneyColumns) +
            " FROM journeys j WHERE j.workspace_id = $1 AND j.id > $2 ORDER BY j.id LIMIT $3",
        {workspace_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<JourneyRow>(*found, page.limit, read_journey);
  });
}

Result<void> PgStore::update_journey(const JourneyRow& j, const JourneyRow& before) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    PgTransaction tx(db);
    if (auto r = tx.begin(); !r) return r;
    auto updated =
        db.query(kUpdateJourneySql, {j.name, reentry_name(j), j.graph, j.trigger_event,
                                     j.updated_at, j.goal_event, j.wait_events, j.version,
                                     j.workspace_id, j.id, before.version, before.updated_at});
    if (!updated) return std::unexpected(updated.error());
    if (updated->rows_affected() == 0) {
      auto found = db.query("SELECT 1 FROM journeys WHERE workspace_id = $1 AND id = $2",
                            {j.workspace_id, j.id});
      if (!found) return std::unexpected(found.error());
      if (found->rows() == 0)
        return std::unexpected(Error::not_found("no journey with id " + j.id));
      return std::unexpected(Error{
          ErrorCode::kConflict, "journey " + j.id + " was changed meanwhile; load it again", {}});
    }
    auto version = j.version == before.version
                       ? db.query(kReplaceJourneyVersionSql,
                                  {j.graph, j.goal_event, j.wait_events, j.id, j.version})
                       : db.query(kInsertJourneyVersionSql, {j.id, j.version, j.graph, j.goal_event,
                                                             j.wait_events, j.updated_at});
    if (!version) return std::unexpected(version.error());
    return tx.commit();
  });
}

Result<void> PgStore::set_journey_status(const std::string& workspace_id, const std::string& id,
                                         JourneyStatus status, int64_t now_ms) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto updated = db.query(
        "UPDATE journeys SET status = $1, updated_at = GREATEST($2, updated_at + 1) WHERE "
        "workspace_id = $3 AND id = $4",
        {journey_status_name(status), now_ms, workspace_id, id});
    if (!updated) return std::unexpected(updated.error());
    if (updated->rows_affected() == 0) {
      return std::unexpected(Error::not_found("no journey with id " + id));
    }
    return {};
  });
}

Result<void> PgStore::delete_journey(const std::string& workspace_id, const std::string& id) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    // Its enrolments and path counts go with it (ON DELETE CASCADE).
    auto removed =
        db.query("DELETE FROM journeys WHERE workspace_id = $1 AND id = $2", {workspace_id, id});
    if (!removed) return std::unexpected(removed.error());
    if (removed->rows_affected() == 0) {
      return std::unexpected(Error::not_found("no journey with id " + id));
    }
    return {};
  });
}

Result<std::map<std::string, BlockStats>> PgStore::journey_stats(const std::string& workspace_id,
                                                                 const std::string& journey_id) {
  return block_stats(workspace_id, journey_id, kAllVersions);
}

Result<std::map<std::string, BlockStats>> PgStore::version_stats(const std::string& workspace_id,
                                                                 const std::string& journey_id,
                                                                 int version) {
  return block_stats(workspace_id, journey_id, version);
}

Result<std::map<std::string, BlockStats>> PgStore::block_stats(const std::string& workspace_id,
                                                               const std::string& journey_id,
                                                               int version) {
  using Stats = std::map<std::string, BlockStats>;
  return with_connection<Stats>([&](PgConnection& db) -> Result<Stats> {
    Stats stats;
    auto counts = db.query(kJourneyPathCountsSql, {workspace_id, journey_id, version});
    if (!counts) return std::unexpected(counts.error());
    for (int row = 0; row < counts->rows(); ++row) {
      if (!add_path_counts(counts->text(row, 0), counts->integer(row, 1), stats)) {
        return std::unexpected(
            Error{ErrorCode::kInternal, "journey " + journey_id + " has a broken path count", {}});
      }
    }
    auto waiting = db.query(kJourneyWaitingSql, {workspace_id, journey_id, version});
    if (!waiting) return std::unexpected(waiting.error());
    for (int row = 0; row < waiting->rows(); ++row) {
      stats[waiting->text(row, 0)].waiting = waiting->integer(row, 1);
    }
    return stats;
  });
}

Result<JourneyRow> PgStore::get_journey_version(const std::string& workspace_id,
                                                const std::string& id, int version) {
  return with_connection<JourneyRow>([&](PgConnection& db) -> Result<JourneyRow> {
    auto found = db.query("SELECT " + std::string(kJourneyVersionColumns) +
                              std::string(kJourneyVersionFrom) +
                              " WHERE j.workspace_id = $1 AND v.journey_id = $2 AND v.version = $3",
                          {workspace_id, id, version});
    if (!found) return std::unexpected(found.error());
    auto journey = read_one<JourneyRow>(*found, read_journey);
    if (!journey) {
      return std::unexpected(
          Error::not_found("journey " + id + " has no version " + std::to_string(version)));
    }
    return std::move(*journey);
  });
}

Result<std::vector<JourneyVersionInfo>> PgStore::journey_versions(const std::string& workspace_id,
                                                                  const std::string& id) {
  using Versions = std::vector<JourneyVersionInfo>;
  return with_connection<Versions>([&](PgConnection& db) -> Result<Versions> {
    auto found = db.query(kJourneyVersionsSql, {workspace_id, id});
    if (!found) return std::unexpected(found.error());
    if (found->rows() == 0) return std::unexpected(Error::not_found("no journey with id " + id));
    return read_all<JourneyVersionInfo>(*found, [](const PgResult& result, int row) {
      return JourneyVersionInfo{static_cast<int>(result.integer(row, 0)), result.integer(row, 1),
                                result.integer(row, 2)};
    });
  });
}

Result<Page<Enrolment>> PgStore::contact_enrolments(const std::string& workspace_id,
                                                    const std::string& contact_id,
                                                    const PageRequest& page) {
  return with_connection<Page<Enrolment>>([&](PgConnection& db) -> Result<Page<Enrolment>> {
    auto found = db.query("SELECT " + std::string(kEnrolmentColumns) +
                              " FROM enrolments e WHERE e.workspace_id = $1 AND e.contact_id = "
                              "$2 AND ($3::text = '' OR e.id < $3) ORDER BY e.id DESC LIMIT $4",
                          {workspace_id, contact_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<Enrolment>(*found, page.limit, read_enrolment);
  });
}

}  // namespace hookline::store::postgres
