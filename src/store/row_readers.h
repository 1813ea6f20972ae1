#pragma once

#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_key.h"
#include "core/contact.h"
#include "core/delivery.h"
#include "core/delivery_stats.h"
#include "core/json_depth.h"
#include "core/logger.h"
#include "core/webhook.h"
#include "core/webhook_codec.h"
#include "store/body_splice.h"
#include "store/request_headers.h"
#include "store/store_types.h"
#include "store/webhook_secrets.h"

// How a stored row becomes a value, for both backends: each selects the same columns in the same
// order (store/sqlite/rows.h, store/postgres/pg_rows.h) and reads them through a Row, which has
// text(column), bytes(column), integer(column), flag(column) and is_null(column), NULL reading as
// "" or 0.
namespace hookline::store::rows {

// The columns each reader takes, in its order; the same in both backends but for the webhook's,
// whose event names each backend aggregates its own way.
inline constexpr std::string_view kContactColumns =  // FROM contacts c
    "c.id, c.workspace_id, c.email, c.first_name, c.last_name, c.mobile, c.properties, "
    "c.created_at, c.updated_at";
// The contacts list's search (Contacts::list_contacts), both sides lowered by the backend's own
// lower(): the pattern, as contact_search_pattern makes it, is parameter `param` ("$4", "?4").
inline std::string contact_search_condition(std::string_view param) {
  const std::string p = "lower(" + std::string(param) + ")";
  return " AND (lower(c.email) LIKE " + p + " ESCAPE '\\' OR lower(c.first_name || ' ' || " +
         "c.last_name) LIKE " + p + " ESCAPE '\\')";
}
// What a user typed as a LIKE pattern that finds it anywhere, its own % _ and \ taken literally.
inline std::string contact_search_pattern(std::string_view search) {
  std::string pattern = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}
inline constexpr std::string_view kDeliveryColumns =  // FROM deliveries d; not the body
    "d.seq, d.id, d.workspace_id, d.webhook_id, d.event_id, d.event_name, d.status, d.attempts, "
    "d.schedule_base, d.next_attempt_at, d.last_status, d.last_error, d.last_duration_ms, "
    "d.created_at, d.updated_at, d.lease_owner, d.lease_number, d.order_key";
inline constexpr int kDeliveryColumnCount = 18;      // the first column after kDeliveryColumns
inline constexpr std::string_view kJourneyColumns =  // FROM journeys j
    "j.id, j.workspace_id, j.name, j.status, j.reentry, j.graph, j.trigger_event, j.created_at, "
    "j.updated_at, j.version";
// The same columns for one version v of a journey j, with the version's graph (read by journey()).
inline constexpr std::string_view kJourneyVersionColumns =
    "j.id, j.workspace_id, j.name, j.status, j.reentry, v.graph, j.trigger_event, j.created_at, "
    "j.updated_at, v.version";
inline constexpr std::string_view kJourneyVersionFrom =
    " FROM journey_versions v JOIN journeys j ON j.id = v.journey_id";
// Of the versions v of journeys j, the ones that may still hold contacts: the current one, and
// those that contacts wait on (they finish on them). A version no one is on any more stops
// listening to its goal's and its Wait untils' events.
inline constexpr std::string_view kLiveVersionSql =
    "(v.version = j.version OR EXISTS (SELECT 1 FROM enrolments e WHERE e.journey_id = "
    "v.journey_id AND e.status = 'waiting' AND e.journey_version = v.version))";
// The live versions of active journeys of workspace $1 whose goal is event $2 (WriteTxn): contacts
// on any version leave at its goal. "<> ''" lets the partial index journey_versions_by_goal serve
// it.
inline constexpr std::string_view kActiveVersionsWithGoalSql =
    " WHERE j.workspace_id = $1 AND j.status = 'active' AND v.goal_event = $2 AND "
    "v.goal_event <> '' AND ";
// Journey versions, on the API's side. A change of journey $10 of workspace $9 made from version
// $11 as it was at $12 (its updated_at: any change since, a status change included, refuses it);
// $8 is the version it becomes current.
inline constexpr std::string_view kUpdateJourneySql =
    "UPDATE journeys SET name = $1, reentry = $2, graph = $3, trigger_event = $4, updated_at = $5, "
    "goal_event = $6, wait_events = $7, version = $8 WHERE workspace_id = $9 AND id = $10 AND "
    "version = $11 AND updated_at = $12";
inline constexpr std::string_view kInsertJourneyVersionSql =
    "INSERT INTO journey_versions (journey_id, version, graph, goal_event, wait_events, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6)";
// A draft's graph, or a version's layout, changed in place: graph $1, goal $2, waits $3 of
// version $5 of journey $4.
inline constexpr std::string_view kReplaceJourneyVersionSql =
    "UPDATE journey_versions SET graph = $1, goal_event = $2, wait_events = $3 WHERE journey_id = "
    "$4 AND version = $5";
// Each version of journey $2 of workspace $1, newest first: number, when saved, contacts waiting.
inline constexpr std::string_view kJourneyVersionsSql =
    "SELECT v.version, v.created_at, (SELECT COUNT(*) FROM enrolments e WHERE e.journey_id = "
    "v.journey_id AND e.status = 'waiting' AND e.journey_version = v.version) FROM "
    "journey_versions v JOIN journeys j ON j.id = v.journey_id WHERE j.workspace_id = $1 AND "
    "v.journey_id = $2 ORDER BY v.version DESC";
// A journey's counts, read from journey $2 of workspace $1 on version $3, or on all its versions
// when $3 is kAllVersions: the runs through it by path, and the contacts waiting per block.
inline constexpr int kAllVersions = -1;
inline constexpr std::string_view kJourneyPathCountsSql =
    "SELECT c.path, c.runs FROM journey_path_counts c JOIN journeys j ON j.id = c.journey_id "
    "WHERE j.workspace_id = $1 AND c.journey_id = $2 AND ($3 < 0 OR c.version = $3)";
inline constexpr std::string_view kJourneyWaitingSql =
    "SELECT e.block_id, COUNT(*) FROM enrolments e JOIN journeys j ON j.id = e.journey_id WHERE "
    "j.workspace_id = $1 AND e.journey_id = $2 AND e.status = 'waiting' AND ($3 < 0 OR "
    "e.journey_version = $3) GROUP BY e.block_id";
inline constexpr std::string_view kEnrolmentColumns =  // FROM enrolments e
    "e.id, e.workspace_id, e.journey_id, e.contact_id, e.block_id, e.status, e.wake_at, e.event, "
    "e.depth, e.created_at, e.updated_at, e.waiting_delivery, e.journey_version";
// A delivery's body: these columns, with kBodyJoin after "FROM deliveries d", read by body().
inline constexpr std::string_view kBodyColumns = "b.body, b.details_at, e.details";
// QueueCounts' columns, with the time as $1 and the asking node as $2 (SQLite reads $1 as a
// named parameter: the first named is bound first).
inline constexpr std::string_view kQueueCountsSql =
    "SELECT COALESCE(SUM(CASE WHEN next_attempt_at <= $1 THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN next_attempt_at > $1 AND lease_owner = '' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN next_attempt_at > $1 AND lease_owner = $2 THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN next_attempt_at > $1 AND lease_owner NOT IN ('', $2) THEN 1 ELSE 0 "
    "END), 0), COALESCE(MIN(CASE WHEN next_attempt_at <= $1 THEN next_attempt_at END), $1), "
    "(SELECT COUNT(*) FROM deliveries WHERE status = 'queued') "
    "FROM deliveries WHERE status IN ('pending', 'retrying')";
// WriteTxn::delivery_answer: the state of delivery $2 of workspace $1 and its last answer.
inline constexpr std::string_view kDeliveryAnswerSql =
    "SELECT d.status, d.next_attempt_at, (SELECT a.response_body FROM attempts a WHERE "
    "a.delivery_seq = d.seq ORDER BY a.number DESC LIMIT 1) FROM deliveries d WHERE "
    "d.workspace_id = $1 AND d.id = $2";
// The chains of deliveries of webhooks that deliver one at a time per contact
// (Delivery::order_key): each query repeats the predicate of the partial index it needs word for
// word (store/migrations/0019_ordered_delivery.sql says why).
// WriteTxn::order_key_busy: the head (pending or retrying) of chain ($1 webhook, $2 order key).
// A chain with queued deliveries has one: they are released only as it ends, in the transaction
// that records its end (PostgreSQL: under the chain's lock, pg_txn_deliveries.cc).
inline constexpr std::string_view kOrderKeyBusySql =
    "SELECT 1 FROM deliveries WHERE webhook_id = $1 AND order_key = $2 AND order_key <> '' AND "
    "status IN ('pending', 'retrying')";
// WriteTxn::release_next_in_order: at $1, chain ($2 webhook, $3 order key)'s oldest queued
// delivery made pending, unless the chain has a head (a manual retry made one pending meanwhile).
// (SQLite numbers $N parameters in the order they first appear: they appear here in order.)
inline constexpr std::string_view kReleaseNextInOrderSql =
    "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, updated_at = $1 WHERE status "
    "= 'queued' AND seq = (SELECT MIN(seq) FROM deliveries WHERE webhook_id = $2 AND order_key = "
    "$3 AND status = 'queued') AND NOT EXISTS (SELECT 1 FROM deliveries WHERE webhook_id = $2 AND "
    "order_key = $3 AND order_key <> '' AND status IN ('pending', 'retrying'))";
// WriteTxn::requeue_failed, after its requeue: at $1, of webhook $2, each chain that has a queued
// delivery and no head has its oldest queued one made pending.
inline constexpr std::string_view kReleaseChainHeadsSql =
    "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, updated_at = $1 WHERE status "
    "= 'queued' AND seq IN (SELECT MIN(q.seq) FROM deliveries q WHERE q.webhook_id = $2 AND "
    "q.status = 'queued' AND NOT EXISTS (SELECT 1 FROM deliveries a WHERE a.webhook_id = $2 AND "
    "a.order_key = q.order_key AND a.order_key <> '' AND a.status IN ('pending', 'retrying')) "
    "GROUP BY q.order_key)";
// WriteTxn::release_headless_chains: up to $1 chains with a queued delivery and no head, which
// no record job will ever release.
inline constexpr std::string_view kHeadlessChainsSql =
    "SELECT q.webhook_id, q.order_key FROM deliveries q WHERE q.status = 'queued' AND NOT EXISTS "
    "(SELECT 1 FROM deliveries a WHERE a.webhook_id = q.webhook_id AND a.order_key = q.order_key "
    "AND a.order_key <> '' AND a.status IN ('pending', 'retrying')) GROUP BY q.webhook_id, "
    "q.order_key ORDER BY q.webhook_id, q.order_key LIMIT $1";
// What requeue_failed sets a delivery's status to: a dead one of a chain waits behind the chain
// (kReleaseChainHeadsSql then lets each chain's oldest go).
inline constexpr std::string_view kRequeuedStatusSql =
    "CASE WHEN order_key <> '' AND status = 'dead' THEN 'queued' ELSE 'pending' END";
// WriteTxn::note_last_attempt: note $1 added to the last attempt of delivery $3 of workspace $2.
inline constexpr std::string_view kNoteLastAttemptSql =
    "UPDATE attempts SET error_message = CASE WHEN error_message = '' THEN $1 ELSE "
    "error_message || '; ' || $1 END WHERE (delivery_seq, number) = (SELECT a.delivery_seq, "
    "a.number FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq WHERE "
    "d.workspace_id = $2 AND d.id = $3 ORDER BY a.number DESC LIMIT 1)";
inline constexpr std::string_view kApiKeyColumns =  // FROM api_keys
    "id, workspace_id, name, scope, instance, prefix, created_at, expires_at, last_used_at, "
    "revoked_at";
inline constexpr std::string_view kAuditColumns =  // FROM audit_log
    "id, workspace_id, time, key_id, key_name, action, resource_type, resource_id, changes";
inline constexpr std::string_view kBodyJoin =
    "JOIN delivery_bodies b ON b.seq = d.seq LEFT JOIN events e ON e.seq = b.event_seq";

template <typename Row>
JourneyRow journey(const Row& row) {
  JourneyRow j;
  j.id = row.text(0);
  j.workspace_id = row.text(1);
  j.name = row.text(2);
  const std::string status = row.text(3);
  j.status = status == "active"   ? JourneyStatus::kActive
             : status == "paused" ? JourneyStatus::kPaused
                                  : JourneyStatus::kDraft;
  j.reenter_every_time = row.text(4) != "once";
  j.graph = row.text(5);
  j.trigger_event = row.text(6);
  j.created_at = row.integer(7);
  j.updated_at = row.integer(8);
  j.version = static_cast<int>(row.integer(9));
  return j;
}

template <typename Row>
Enrolment enrolment(const Row& row) {
  Enrolment e;
  e.id = row.text(0);
  e.workspace_id = row.text(1);
  e.journey_id = row.text(2);
  e.contact_id = row.text(3);
  e.block_id = row.text(4);
  e.status = row.text(5);
  e.wake_at = row.integer(6);
  e.event = row.text(7);
  e.depth = static_cast<int>(row.integer(8));
  e.created_at = row.integer(9);
  e.updated_at = row.integer(10);
  e.waiting_delivery = row.text(11);
  e.journey_version = static_cast<int>(row.integer(12));
  return e;
}

// Column 13 is the webhook's event names as a JSON array, in their order. The secrets come back
// opened by `box` (store/webhook_secrets.h); one that does not open fails the read.
template <typename Row>
Result<Webhook> webhook(const Row& row, const SecretBox& box) {
  namespace json = boost::json;
  Webhook webhook;
  webhook.id = row.text(0);
  webhook.workspace_id = row.text(1);
  WebhookSpec& spec = webhook.spec;
  spec.name = row.text(2);
  spec.url = row.text(3);
  spec.method = row.text(4);
  spec.auth = auth_from_json(json::parse(row.text(5)));
  spec.headers = headers_from_json(json::parse(row.text(6)));
  if (!row.is_null(7)) spec.custom_payload = json::parse(row.text(7)).as_object();
  spec.enabled = row.flag(8);
  webhook.secret = row.text(9);
  spec.timeout_ms = static_cast<int>(row.integer(10));
  webhook.created_at = row.integer(11);
  webhook.updated_at = row.integer(12);
  const json::value events = json::parse(row.text(13));
  for (const auto& event : events.as_array()) spec.events.emplace_back(event.as_string());
  spec.max_in_flight = static_cast<int>(row.integer(14));
  spec.rate_limit_per_second = static_cast<int>(row.integer(15));
  webhook.previous_secret = row.text(16);
  webhook.previous_secret_expires_at = row.integer(17);
  auto filters = filters_from_json(json::parse(row.text(18)));
  if (!filters) return std::unexpected(filters.error());
  spec.filters = std::move(*filters);
  webhook.disabled_reason = row.text(19);
  webhook.disabled_at = row.integer(20);
  spec.self_heal = row.flag(21);
  webhook.healed_at = row.integer(22);
  spec.ordering = parse_webhook_ordering(row.text(23)).value_or(WebhookOrdering::kNone);
  if (auto opened = open_secrets(box, webhook); !opened) return std::unexpected(opened.error());
  return webhook;
}

template <typename Row>
std::optional<int64_t> optional_integer(const Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.integer(column);
}

// The sums stats_series_sql and stats_by_webhook_sql select (store/delivery_tally.h), from
// `first` on.
template <typename Row>
AttemptCounts attempt_counts(const Row& row, int first) {
  AttemptCounts counts;
  counts.attempts = row.integer(first);
  counts.succeeded = row.integer(first + 1);
  counts.dead = row.integer(first + 2);
  counts.duration_ms = row.integer(first + 3);
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    counts.latency[i] = row.integer(first + 4 + static_cast<int>(i));
  }
  return counts;
}

template <typename Row>
ApiKey api_key(const Row& row) {
  return {.id = row.text(0),
          .workspace_id = row.text(1),
          .name = row.text(2),
          // A scope this version does not know gives the least: it can read.
          .scope = parse_key_scope(row.text(3)).value_or(KeyScope::kRead),
          .instance = row.flag(4),
          .prefix = row.text(5),
          .created_at = row.integer(6),
          .expires_at = optional_integer(row, 7),
          .last_used_at = optional_integer(row, 8),
          .revoked_at = optional_integer(row, 9)};
}

template <typename Row>
Workspace workspace(const Row& row) {  // id, name, created_at
  return {row.text(0), row.text(1), row.integer(2)};
}

template <typename Row>
AuditEntry audit_entry(const Row& row) {
  return {row.text(0), row.text(1), row.integer(2), row.text(3), row.text(4),
          row.text(5), row.text(6), row.text(7),    row.text(8)};
}

template <typename Row>
Contact contact(const Row& row) {
  Contact contact;
  contact.id = row.text(0);
  contact.workspace_id = row.text(1);
  contact.email = row.text(2);
  contact.first_name = row.text(3);
  contact.last_name = row.text(4);
  contact.mobile = row.text(5);
  contact.properties = boost::json::parse(row.text(6)).as_object();
  contact.created_at = row.integer(7);
  contact.updated_at = row.integer(8);
  return contact;
}

template <typename Row>
Delivery delivery(const Row& row) {
  Delivery d;
  d.seq = row.integer(0);
  d.id = row.text(1);
  d.workspace_id = row.text(2);
  d.webhook_id = row.text(3);
  d.event_id = row.text(4);
  d.event_name = row.text(5);
  d.status = parse_delivery_status(row.text(6)).value_or(DeliveryStatus::kPending);
  d.attempts = static_cast<int>(row.integer(7));
  d.schedule_base = static_cast<int>(row.integer(8));
  d.next_attempt_at = row.integer(9);
  if (!row.is_null(10)) d.last_status = static_cast<int>(row.integer(10));
  d.last_error = row.text(11);
  d.last_duration_ms = row.integer(12);
  d.created_at = row.integer(13);
  d.updated_at = row.integer(14);
  d.lease = {row.text(15), row.integer(16)};
  d.order_key = row.text(17);
  return d;
}

// An attempt from kAttemptColumns (FROM deliveries d JOIN attempts a). What the receiver sent
// comes back byte for byte: Row::bytes reads it as the backend stores it.
inline constexpr std::string_view kAttemptColumns =
    "d.id, a.number, a.started_at, a.duration_ms, a.request_method, a.request_url, "
    "a.request_headers, a.response_status, a.response_headers, a.response_body, a.error_code, "
    "a.error_message, a.delivery_seq";
template <typename Row>
Attempt attempt(const Row& row) {
  Attempt a;
  a.delivery_id = row.text(0);
  a.number = static_cast<int>(row.integer(1));
  a.started_at = row.integer(2);
  a.duration_ms = row.integer(3);
  a.request_method = row.text(4);
  a.request_url = row.text(5);
  a.request_headers = expand_request_headers(row.text(6), a.delivery_id, a.started_at);
  if (!row.is_null(7)) a.response_status = static_cast<int>(row.integer(7));
  a.response_headers = row.bytes(8);
  a.response_body = row.bytes(9);
  a.error_code = row.text(10);
  a.error_message = row.text(11);
  a.delivery_seq = row.integer(12);
  return a;
}

// A delivery's body from the columns body, details_at, details (from `first`): the stored body
// with its event's details put back (store/body_splice.h).
template <typename Row>
std::string body(const Row& row, int first) {
  std::string stored = row.text(first);
  if (row.is_null(first + 1)) return stored;
  const auto at = static_cast<size_t>(row.integer(first + 1));
  if (row.is_null(first + 2) || at > stored.size()) {
    // Retention keeps an event while a body needs it, so this is a broken invariant. The delivery
    // still goes out, with JSON null where the details were, rather than stall the queue.
    module_logger("store")->error(
        "a delivery body's event is missing; its details are sent as null");
    return join(stored, std::min(at, stored.size()), "null");
  }
  return join(stored, at, row.text(first + 2));
}

// A contact's timeline read backwards (Contacts::read_contact_activity), the same statements on
// both backends (SQLite numbers $1.. in the order they first appear): $1 the workspace, $2 the
// contact, $3 the seq reading goes on below, $4 how many rows. An event row is its seq, time,
// whether it is the contact's, then (theirs only, so that others' details are not read) what
// timeline_event reads; a delivery row is kDeliveryColumns, then whether its event is the
// contact's, looked up by the events' unique index.
inline constexpr std::string_view kTimelineEventsSql =
    "SELECT seq, received_at, workspace_id = $1 AND contact_id = $2, CASE WHEN workspace_id = $1 "
    "AND contact_id = $2 THEN id END, name, time_ms, CASE WHEN workspace_id = $1 AND contact_id = "
    "$2 THEN details END FROM events WHERE seq < $3 ORDER BY seq DESC LIMIT $4";
inline const std::string kTimelineDeliveriesSql =
    "SELECT " + std::string(kDeliveryColumns) +
    ", e.seq IS NOT NULL FROM deliveries d LEFT JOIN events e ON e.workspace_id = $1 AND e.id = "
    "d.event_id AND e.contact_id = $2 WHERE d.workspace_id = $1 AND d.seq < $3 ORDER BY d.seq "
    "DESC LIMIT $4";

// Adds a row of kTimelineEventsSql to what a read found.
template <typename Row>
void add_timeline_event(const Row& row, ContactActivity& activity) {
  const bool theirs = row.flag(2);
  activity.event_rows.rows.push_back({row.integer(0), row.integer(1), theirs});
  if (!theirs) return;
  StoredEvent stored;
  stored.received_at = row.integer(1);
  stored.event.id = row.text(3);
  stored.event.name = row.text(4);
  stored.event.time_ms = row.integer(5);
  boost::system::error_code ec;
  boost::json::value details = parse_stored_json(row.text(6), ec);
  if (!ec && details.is_object()) {
    stored.event.details = std::move(details.as_object());
  } else {
    // Ingest stores only objects it parsed: this is a broken invariant, shown as no details.
    module_logger("store")->error("event {} has details that are not a JSON object",
                                  stored.event.id);
  }
  activity.events.push_back(std::move(stored));
}

// Adds a row of kTimelineDeliveriesSql to what a read found.
template <typename Row>
void add_timeline_delivery(const Row& row, ContactActivity& activity) {
  Delivery d = delivery(row);
  const bool theirs = row.flag(kDeliveryColumnCount);
  activity.delivery_rows.rows.push_back({d.seq, d.created_at, theirs});
  if (theirs) activity.deliveries.push_back(std::move(d));
}

}  // namespace hookline::store::rows
