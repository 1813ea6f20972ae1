// Journeys and enrolments inside the writer's transaction: what the event path reads and moves.
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {
namespace json = boost::json;

Result<std::optional<Webhook>> PgWriteTxn::find_webhook(const std::string& workspace_id,
                                                        const std::string& id) {
  auto found = db().query("SELECT " + std::string(kWebhookColumns) +
                              " FROM webhooks WHERE workspace_id = $1 AND id = $2",
                          {workspace_id, id});
  if (!found) return std::unexpected(found.error());
  return read_one<Webhook>(*found, WebhookReader{secrets_});
}

Result<std::optional<ContactList>> PgWriteTxn::find_list(const std::string& workspace_id,
                                                         const std::string& id) {
  auto found = db().query(
      "SELECT id, workspace_id, name, created_at FROM lists WHERE workspace_id = $1 AND id = $2",
      {workspace_id, id});
  if (!found) return std::unexpected(found.error());
  // Journey blocks need no member count: 0, as SQLite's writer gives.
  return read_one<ContactList>(*found, [](const PgResult& result, int row) {
    return ContactList{result.text(row, 0), result.text(row, 1), result.text(row, 2), 0,
                       result.integer(row, 3)};
  });
}

Result<bool> PgWriteTxn::is_list_member(const std::string& workspace_id, const std::string& list_id,
                                        const std::string& contact_id) {
  auto found = db().query(
      "SELECT 1 FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.list_id = $1 AND "
      "m.contact_id = $2 AND l.workspace_id = $3",
      {list_id, contact_id, workspace_id});
  if (!found) return std::unexpected(found.error());
  return found->rows() > 0;
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> PgWriteTxn::journeys_listening(
    const std::string& select, ByEventCache<std::vector<JourneyRow>>& cache,
    const std::string& workspace_id, const std::string& event_name) {
  if (auto cached = cache.find(workspace_id, event_name)) return cached;
  auto found = db().query(select, {workspace_id, event_name});
  if (!found) return std::unexpected(found.error());
  auto shared =
      std::make_shared<const std::vector<JourneyRow>>(read_all<JourneyRow>(*found, read_journey));
  cache.put(workspace_id, event_name, shared);
  return shared;
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> PgWriteTxn::active_journeys_for_event(
    const std::string& workspace_id, const std::string& event_name) {
  static const std::string select = "SELECT " + std::string(kJourneyColumns) +
                                    " FROM journeys j WHERE j.workspace_id = $1 AND j.status = "
                                    "'active' AND j.trigger_event = $2";
  return journeys_listening(select, caches_.journeys_by_event, workspace_id, event_name);
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> PgWriteTxn::active_journeys_with_goal(
    const std::string& workspace_id, const std::string& event_name) {
  static const std::string select =
      "SELECT " + std::string(kJourneyVersionColumns) + std::string(kJourneyVersionFrom) +
      std::string(kActiveVersionsWithGoalSql) + std::string(kLiveVersionSql);
  return journeys_listening(select, caches_.journeys_by_goal, workspace_id, event_name);
}

Result<std::shared_ptr<const std::vector<JourneyRow>>> PgWriteTxn::active_journeys_waiting_for(
    const std::string& workspace_id, const std::string& event_name) {
  // Names have no spaces, so ' name ' is found only as a whole name; "<> ''" lets the partial
  // index journey_versions_waiting serve it.
  static const std::string select =
      "SELECT " + std::string(kJourneyVersionColumns) + std::string(kJourneyVersionFrom) +
      " WHERE j.workspace_id = $1 AND j.status = 'active' AND v.wait_events <> '' AND "
      "strpos(v.wait_events, ' ' || $2 || ' ') > 0 AND " +
      std::string(kLiveVersionSql);
  return journeys_listening(select, caches_.journeys_by_wait, workspace_id, event_name);
}

Result<std::optional<JourneyRow>> PgWriteTxn::find_journey_version(const std::string& workspace_id,
                                                                   const std::string& journey_id,
                                                                   int version) {
  auto found = db().query("SELECT " + std::string(kJourneyVersionColumns) +
                              std::string(kJourneyVersionFrom) +
                              " WHERE v.journey_id = $1 AND v.version = $2 AND j.workspace_id = $3",
                          {journey_id, version, workspace_id});
  if (!found) return std::unexpected(found.error());
  return read_one<JourneyRow>(*found, read_journey);
}

Result<bool> PgWriteTxn::has_enrolment(const std::string& journey_id,
                                       const std::string& contact_id) {
  auto found =
      db().query("SELECT 1 FROM enrolments WHERE contact_id = $1 AND journey_id = $2 LIMIT 1",
                 {contact_id, journey_id});
  if (!found) return std::unexpected(found.error());
  return found->rows() > 0;
}

Result<void> PgWriteTxn::insert_enrolment(const Enrolment& e) {
  auto inserted = db().query(
      "INSERT INTO enrolments (id, workspace_id, journey_id, contact_id, block_id, status, "
      "wake_at, event, depth, created_at, updated_at, waiting_delivery, journey_version) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULLIF($12, ''), $13)",
      {e.id, e.workspace_id, e.journey_id, e.contact_id, e.block_id, e.status, e.wake_at, e.event,
       e.depth, e.created_at, e.updated_at, e.waiting_delivery, e.journey_version});
  if (!inserted) return std::unexpected(inserted.error());
  return {};
}

Result<void> PgWriteTxn::update_enrolment(const Enrolment& e) {
  auto updated = db().query(
      "UPDATE enrolments SET block_id = $1, status = $2, wake_at = $3, updated_at = $4, "
      "waiting_delivery = NULLIF($5, '') WHERE id = $6",
      {e.block_id, e.status, e.wake_at, e.updated_at,
       e.status == "waiting" ? e.waiting_delivery : std::string(), e.id});
  if (!updated) return std::unexpected(updated.error());
  return {};
}

Result<std::vector<Enrolment>> PgWriteTxn::waiting_enrolments_of(const std::string& contact_id) {
  // Locked like due_enrolments': a node waking one of them at once skips it, and finds it no
  // longer waiting once this batch commits.
  auto found = db().query("SELECT " + std::string(kEnrolmentColumns) +
                              " FROM enrolments e WHERE e.contact_id = $1 AND e.status = "
                              "'waiting' ORDER BY e.id FOR UPDATE OF e",
                          {contact_id});
  if (!found) return std::unexpected(found.error());
  return read_all<Enrolment>(*found, read_enrolment);
}

Result<std::vector<Enrolment>> PgWriteTxn::due_enrolments(int64_t now_ms, int limit) {
  // Several nodes' writers wake enrolments at once. The row lock lasts until this batch commits,
  // and the job that asked moves each enrolment on (update_enrolment) before then, so another
  // node skips what this one took and, once it commits, no longer finds it waiting. Only the
  // enrolments are locked: a locked journey would hide all its other enrolments from the others.
  auto found = db().query("SELECT " + std::string(kEnrolmentColumns) +
                              " FROM enrolments e JOIN journeys j ON j.id = e.journey_id WHERE "
                              "e.status = 'waiting' AND e.wake_at <= $1 AND j.status = 'active' "
                              "ORDER BY e.wake_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED",
                          {now_ms, limit});
  if (!found) return std::unexpected(found.error());
  return read_all<Enrolment>(*found, read_enrolment);
}

void PgWriteTxn::count_run(std::string_view journey_id, int version, std::string_view path) {
  path_counts_.add(journey_id, version, path);
}

Result<void> PgWriteTxn::wake_enrolments_awaiting(const std::vector<std::string>& delivery_ids,
                                                  int64_t now_ms) {
  if (delivery_ids.empty()) return {};
  // Locked in id order, as other nodes' moves of the same enrolments lock them one by one, so
  // two writers never wait for each other in a circle.
  auto woken = db().query(
      "UPDATE enrolments SET wake_at = $1 WHERE id IN (SELECT id FROM enrolments WHERE "
      "waiting_delivery IS NOT NULL AND waiting_delivery = ANY(ARRAY(SELECT "
      "jsonb_array_elements_text($2::jsonb))) AND status = 'waiting' ORDER BY id FOR UPDATE)",
      {now_ms, json::serialize(json::value_from(delivery_ids))});
  if (!woken) return std::unexpected(woken.error());
  return {};
}

Result<void> PgWriteTxn::keep_awaited_answers(const std::vector<const AttemptRecord*>& records) {
  // A few rows at most (long answers of successes): one statement each.
  for (const AttemptRecord* record : records) {
    auto kept = db().query(
        "UPDATE attempts SET response_body = $1 WHERE delivery_seq = (SELECT seq FROM deliveries "
        "WHERE id = $2) AND number = $3 AND EXISTS (SELECT 1 FROM enrolments WHERE "
        "waiting_delivery IS NOT NULL AND waiting_delivery = $2 AND status = 'waiting')",
        {Param::bytes(record->answer), record->attempt.delivery_id,
         int64_t{record->attempt.number}});
    if (!kept) return std::unexpected(kept.error());
  }
  return {};
}

}  // namespace hookline::store::postgres
