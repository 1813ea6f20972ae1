// Journeys and enrolments inside the writer's transaction: what the event path reads and moves.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <string>
#include <vector>

#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

Result<std::optional<Webhook>> SqliteWriteTxn::find_webhook(const std::string& workspace_id,
                                                            const std::string& id) {
  Statement& query = prepare("SELECT " + std::string(kWebhookColumns) +
                             " FROM webhooks WHERE workspace_id = ? AND id = ?");
  query.bind(1, workspace_id).bind(2, id);
  return read_one<Webhook>(query, WebhookReader{secrets_});
}

Result<std::optional<ContactList>> SqliteWriteTxn::find_list(const std::string& workspace_id,
                                                             const std::string& id) {
  Statement& query = prepare(
      "SELECT id, workspace_id, name, 0, created_at FROM lists WHERE "
      "workspace_id = ? AND id = ?");
  query.bind(1, workspace_id).bind(2, id);
  return read_one<ContactList>(query, [](const Statement& row) {
    return ContactList{row.text(0), row.text(1), row.text(2), row.integer(3), row.integer(4)};
  });
}

Result<bool> SqliteWriteTxn::is_list_member(const std::string& workspace_id,
                                            const std::string& list_id,
                                            const std::string& contact_id) {
  Statement& query = prepare(
      "SELECT 1 FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.list_id = ? AND "
      "m.contact_id = ? AND l.workspace_id = ?");
  query.bind(1, list_id).bind(2, contact_id).bind(3, workspace_id);
  return query.step();
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> SqliteWriteTxn::journeys_listening(
    const std::string& select, ByEventCache<std::vector<JourneyRow>>& cache,
    const std::string& workspace_id, const std::string& event_name) {
  if (auto cached = cache.find(workspace_id, event_name)) return cached;
  Statement& query = prepare(select);
  query.bind(1, workspace_id).bind(2, event_name);
  auto journeys = read_all<JourneyRow>(query, read_journey);
  if (!journeys) return std::unexpected(journeys.error());
  auto shared = std::make_shared<const std::vector<JourneyRow>>(std::move(*journeys));
  cache.put(workspace_id, event_name, shared);
  return shared;
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> SqliteWriteTxn::active_journeys_for_event(
    const std::string& workspace_id, const std::string& event_name) {
  static const std::string select = "SELECT " + std::string(kJourneyColumns) +
                                    " FROM journeys j WHERE j.workspace_id = $1 AND j.status = "
                                    "'active' AND j.trigger_event = $2";
  return journeys_listening(select, caches_.journeys_by_event, workspace_id, event_name);
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> SqliteWriteTxn::active_journeys_with_goal(
    const std::string& workspace_id, const std::string& event_name) {
  static const std::string select =
      "SELECT " + std::string(kJourneyVersionColumns) + std::string(kJourneyVersionFrom) +
      std::string(kActiveVersionsWithGoalSql) + std::string(kLiveVersionSql);
  return journeys_listening(select, caches_.journeys_by_goal, workspace_id, event_name);
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> SqliteWriteTxn::active_journeys_waiting_for(
    const std::string& workspace_id, const std::string& event_name) {
  // Names have no spaces, so ' name ' is found only as a whole name; "<> ''" lets the partial
  // index journey_versions_waiting serve it.
  static const std::string select =
      "SELECT " + std::string(kJourneyVersionColumns) + std::string(kJourneyVersionFrom) +
      " WHERE j.workspace_id = $1 AND j.status = 'active' AND v.wait_events <> '' AND "
      "instr(v.wait_events, ' ' || $2 || ' ') > 0 AND " +
      std::string(kLiveVersionSql);
  return journeys_listening(select, caches_.journeys_by_wait, workspace_id, event_name);
}

Result<std::optional<JourneyRow>> SqliteWriteTxn::find_journey_version(
    const std::string& workspace_id, const std::string& journey_id, int version) {
  Statement& query =
      prepare("SELECT " + std::string(kJourneyVersionColumns) + std::string(kJourneyVersionFrom) +
              " WHERE v.journey_id = ? AND v.version = ? AND j.workspace_id = ?");
  query.bind(1, journey_id).bind(2, int64_t{version}).bind(3, workspace_id);
  return read_one<JourneyRow>(query, read_journey);
}

Result<bool> SqliteWriteTxn::has_enrolment(const std::string& journey_id,
                                           const std::string& contact_id) {
  Statement& query =
      prepare("SELECT 1 FROM enrolments WHERE contact_id = ? AND journey_id = ? LIMIT 1");
  query.bind(1, contact_id).bind(2, journey_id);
  return query.step();
}

Result<void> SqliteWriteTxn::insert_enrolment(const Enrolment& e) {
  Statement& insert = prepare(
      "INSERT INTO enrolments (id, workspace_id, journey_id, contact_id, block_id, status, "
      "wake_at, event, depth, created_at, updated_at, waiting_delivery, journey_version) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, e.id)
      .bind(2, e.workspace_id)
      .bind(3, e.journey_id)
      .bind(4, e.contact_id)
      .bind(5, e.block_id)
      .bind(6, e.status)
      .bind(7, e.wake_at)
      .bind(8, e.event)
      .bind(9, int64_t{e.depth})
      .bind(10, e.created_at)
      .bind(11, e.updated_at);
  if (e.waiting_delivery.empty()) {
    insert.bind_null(12);
  } else {
    insert.bind(12, e.waiting_delivery);
  }
  insert.bind(13, int64_t{e.journey_version});
  return insert.run();
}

Result<void> SqliteWriteTxn::update_enrolment(const Enrolment& e) {
  Statement& update = prepare(
      "UPDATE enrolments SET block_id = ?, status = ?, wake_at = ?, updated_at = ?, "
      "waiting_delivery = ? WHERE id = ?");
  update.bind(1, e.block_id).bind(2, e.status).bind(3, e.wake_at).bind(4, e.updated_at);
  if (e.waiting_delivery.empty() || e.status != "waiting") {
    update.bind_null(5);
  } else {
    update.bind(5, e.waiting_delivery);
  }
  update.bind(6, e.id);
  return update.run();
}

Result<std::vector<Enrolment>> SqliteWriteTxn::due_enrolments(int64_t now_ms, int limit) {
  Statement& query = prepare("SELECT " + std::string(kEnrolmentColumns) +
                             " FROM enrolments e JOIN journeys j ON j.id = e.journey_id WHERE "
                             "e.status = 'waiting' AND e.wake_at <= ? AND j.status = 'active' "
                             "ORDER BY e.wake_at LIMIT ?");
  query.bind(1, now_ms).bind(2, int64_t{limit});
  return read_all<Enrolment>(query, read_enrolment);
}

Result<std::vector<Enrolment>> SqliteWriteTxn::waiting_enrolments_of(
    const std::string& contact_id) {
  Statement& query = prepare("SELECT " + std::string(kEnrolmentColumns) +
                             " FROM enrolments e WHERE e.contact_id = ? AND e.status = 'waiting'");
  query.bind(1, contact_id);
  return read_all<Enrolment>(query, read_enrolment);
}

void SqliteWriteTxn::count_run(std::string_view journey_id, int version, std::string_view path) {
  path_counts_.add(journey_id, version, path);
}

Result<void> SqliteWriteTxn::write_path_counts() {
  // Many rows to one statement: a batch through a thousand journeys is a few dozen statements.
  constexpr size_t kRowsPerStatement = 64;
  std::vector<std::pair<const PathCounts::Key*, int64_t>> rows;
  Result<void> collected =
      path_counts_.for_each([&rows](const PathCounts::Key& path, int64_t runs) -> Result<void> {
        rows.emplace_back(&path, runs);
        return {};
      });
  if (!collected) return collected;
  for (size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, rows.size() - at);
    std::string sql =
        "INSERT INTO journey_path_counts (journey_id, version, path, runs) VALUES (?, ?, ?, ?)";
    for (size_t i = 1; i < n; ++i) sql += ", (?, ?, ?, ?)";
    sql += " ON CONFLICT (journey_id, version, path) DO UPDATE SET runs = runs + excluded.runs";
    Statement& upsert = prepare(sql);
    for (size_t i = 0; i < n; ++i) {
      const auto& [key, runs] = rows[at + i];
      const auto& [journey_id, version, path] = *key;
      const int column = static_cast<int>(4 * i);
      upsert.bind(column + 1, journey_id).bind(column + 2, int64_t{version});
      upsert.bind(column + 3, path).bind(column + 4, runs);
    }
    if (auto r = upsert.run(); !r) return r;
  }
  path_counts_.clear();
  return {};
}

Result<void> SqliteWriteTxn::wake_enrolments_awaiting(const std::vector<std::string>& delivery_ids,
                                                      int64_t now_ms) {
  if (delivery_ids.empty()) return {};
  Statement& update = prepare(
      "UPDATE enrolments SET wake_at = ? WHERE waiting_delivery IS NOT NULL AND "
      "waiting_delivery IN (SELECT value FROM json_each(?)) AND status = 'waiting'");
  update.bind(1, now_ms).bind(2, json::serialize(json::value_from(delivery_ids)));
  return update.run();
}

Result<void> SqliteWriteTxn::keep_awaited_answers(
    const std::vector<const AttemptRecord*>& records) {
  for (const AttemptRecord* record : records) {
    auto seq = delivery_seq(record->attempt);
    if (!seq) return std::unexpected(seq.error());
    Statement& keep = prepare(
        "UPDATE attempts SET response_body = ? WHERE delivery_seq = ? AND number = ? AND EXISTS "
        "(SELECT 1 FROM enrolments WHERE waiting_delivery IS NOT NULL AND waiting_delivery = ? "
        "AND status = 'waiting')");
    keep.bind(1, record->answer)
        .bind(2, *seq)
        .bind(3, int64_t{record->attempt.number})
        .bind(4, record->attempt.delivery_id);
    if (auto r = keep.run(); !r) return r;
  }
  return {};
}

}  // namespace hookline::store::sqlite
