// Events and deliveries inside the writer's transaction: the event path's writes.
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "core/base64.h"
#include "store/body_splice.h"
#include "store/delivery_cursor.h"
#include "store/postgres/pg_cluster_news.h"
#include "store/postgres/pg_cluster_watch.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_writer.h"
#include "store/request_headers.h"

namespace hookline::store::postgres {
namespace json = boost::json;

namespace {

// The attempt's delivery_seq, or when the caller did not know it, its delivery's looked up by id.
Result<int64_t> delivery_seq(PgConnection& db, const Attempt& attempt) {
  if (attempt.delivery_seq != 0) return attempt.delivery_seq;
  auto found = db.query("SELECT seq FROM deliveries WHERE id = $1", {attempt.delivery_id});
  if (!found) return std::unexpected(found.error());
  if (found->rows() == 0) {
    return std::unexpected(Error::not_found("no delivery with id " + attempt.delivery_id));
  }
  return found->integer(0, 0);
}

// A bigint[] parameter's text, for $n::bigint[]: {1,2,3}.
template <typename Range, typename Project>
std::string bigint_array(const Range& range, Project project) {
  std::string text = "{";
  for (const auto& item : range) {
    if (text.size() > 1) text += ',';
    text += std::to_string(project(item));
  }
  text += '}';
  return text;
}

// What a record under a lease that is no longer held gets.
Error lease_lost(const AttemptRecord& record) {
  const Attempt& a = record.attempt;
  return Error{ErrorCode::kConflict,
               "delivery " + a.delivery_id + ": lease " + record.lease.owner + "#" +
                   std::to_string(record.lease.number) +
                   " is no longer held (it ended and the delivery was claimed again, released, "
                   "or finished); attempt " +
                   std::to_string(a.number) + " not recorded",
               {}};
}

}  // namespace

Result<void> PgWriteTxn::prefetch_events(const std::string& workspace_id,
                                         const std::vector<std::string>& event_ids,
                                         const std::vector<std::string>& contact_emails) {
  prefetched_ = {};
  // For one event the plain lookups cost less than reading a JSON list (measured: 0.02 against
  // 0.3 ms a statement), and take as many round trips.
  if (event_ids.size() < 2) return {};
  prefetched_.workspace_id = workspace_id;
  // Two statements for the whole job instead of two round trips per event; the lists travel as
  // JSON arrays. Each entry is looked up on its own by its unique key (`LIMIT 1` keeps the
  // planner from turning the lookups into a join): as a join, statistics that lag a fast-growing
  // table (as they do after every start from empty) led it to read every row of the workspace and
  // hash them, a cost that grew with the table (measured: 4-5 ms a batch of 100 at 10,000 events).
  auto stored = db().query(
      "SELECT e.id FROM jsonb_array_elements_text($2::jsonb) AS l(id) CROSS JOIN LATERAL (SELECT "
      "id FROM events WHERE workspace_id = $1 AND id = l.id LIMIT 1) e",
      {workspace_id, json::serialize(json::value_from(event_ids))});
  if (!stored) return std::unexpected(stored.error());
  prefetched_.event_ids.insert(event_ids.begin(), event_ids.end());
  for (int row = 0; row < stored->rows(); ++row) {
    prefetched_.stored_events.insert(stored->text(row, 0));
  }
  prefetched_.events_to_store = prefetched_.event_ids.size() - prefetched_.stored_events.size();
  if (contact_emails.empty()) return {};
  auto contacts = db().query(
      "SELECT c.* FROM jsonb_array_elements_text($2::jsonb) AS l(email) "
      "CROSS JOIN LATERAL (SELECT " +
          kStoredContactColumns +
          " FROM contacts c WHERE c.workspace_id = $1 AND c.email = "
          "l.email LIMIT 1) c",
      {workspace_id, json::serialize(json::value_from(contact_emails))});
  if (!contacts) return std::unexpected(contacts.error());
  for (const std::string& email : contact_emails) prefetched_.contacts.emplace(email, std::nullopt);
  for (int row = 0; row < contacts->rows(); ++row) {
    StoredContact contact = read_stored_contact(*contacts, row);
    prefetched_.contacts.insert_or_assign(contact.contact.email, std::move(contact));
  }
  return {};
}

Result<bool> PgWriteTxn::event_exists(const std::string& workspace_id, const std::string& id) {
  if (workspace_id == prefetched_.workspace_id && prefetched_.event_ids.contains(id)) {
    return prefetched_.stored_events.contains(id);
  }
  auto found =
      db().query("SELECT 1 FROM events WHERE workspace_id = $1 AND id = $2", {workspace_id, id});
  if (!found) return std::unexpected(found.error());
  const bool stored = found->rows() > 0;
  // Known new, as if prefetched: its insert need not wait for an answer.
  if (!stored && (prefetched_.workspace_id.empty() || prefetched_.workspace_id == workspace_id)) {
    prefetched_.workspace_id = workspace_id;
    if (prefetched_.event_ids.insert(id).second) ++prefetched_.events_to_store;
  }
  return stored;
}

Result<bool> PgWriteTxn::insert_event(const std::string& workspace_id, const Event& event,
                                      const std::string& contact_id, int64_t received_at) {
  std::string details = boost::json::serialize(event.details);
  constexpr std::string_view kInsert =
      "INSERT INTO events (workspace_id, id, name, contact_id, time_ms, details, received_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
  if (workspace_id == prefetched_.workspace_id && prefetched_.event_ids.contains(event.id) &&
      !prefetched_.stored_events.contains(event.id)) {
    // Known new to the store: the insert travels with the next statement, its first delivery's.
    // Should another node store the same id meanwhile, the job fails and the client's retry finds
    // the event stored.
    db().defer(
        kInsert,
        {workspace_id, event.id, event.name, contact_id, event.time_ms, details, received_at},
        "the event " + event.id + " was stored meanwhile through another node; send it again");
    prefetched_.stored_events.insert(event.id);
    if (prefetched_.events_to_store > 0) --prefetched_.events_to_store;
    catalog_news_.event_stored(workspace_id, event.name, event.details, details, contact_id,
                               received_at);
    last_event_ = {true, workspace_id, event.id, 0, std::move(details)};
    return true;
  }
  // A repeated id returns no row: a node that stored it first wins, even one still committing
  // (the insert waits for it).
  auto inserted = db().query(
      std::string(kInsert) + " RETURNING seq",
      {workspace_id, event.id, event.name, contact_id, event.time_ms, details, received_at});
  if (!inserted) return std::unexpected(inserted.error());
  if (inserted->rows() == 0) return false;
  if (workspace_id == prefetched_.workspace_id) prefetched_.stored_events.insert(event.id);
  catalog_news_.event_stored(workspace_id, event.name, event.details, details, contact_id,
                             received_at);
  last_event_ = {true, workspace_id, event.id, inserted->integer(0, 0), std::move(details)};
  return true;
}

Result<std::shared_ptr<const std::vector<Webhook>>> PgWriteTxn::subscribed_webhooks(
    const std::string& workspace_id, const std::string& event_name) {
  if (auto cached = caches_.subscriptions.find(workspace_id, event_name)) return cached;
  auto found = db().query("SELECT " + std::string(kWebhookColumns) +
                              " FROM webhooks WHERE enabled AND id IN (SELECT webhook_id FROM "
                              "webhook_events WHERE workspace_id = $1 AND event = $2) ORDER BY id",
                          {workspace_id, event_name});
  if (!found) return std::unexpected(found.error());
  auto webhooks = read_all<Webhook>(*found, WebhookReader{secrets_});
  if (!webhooks) return std::unexpected(webhooks.error());
  auto shared = std::make_shared<const std::vector<Webhook>>(std::move(*webhooks));
  caches_.subscriptions.put(workspace_id, event_name, shared);
  return shared;
}

Result<int64_t> PgWriteTxn::take_delivery_seq() {
  if (next_delivery_seq_ == delivery_seqs_.size()) {
    // Enough for one delivery of the event just stored and of each the job has yet to store:
    // with one webhook, one round trip a job; with more, a few.
    const auto wanted = static_cast<int64_t>(prefetched_.events_to_store + 1);
    auto taken = db().query(
        "SELECT nextval(pg_get_serial_sequence('deliveries', 'seq')) FROM generate_series(1, "
        "$1::integer) ORDER BY 1",
        {wanted});
    if (!taken) return std::unexpected(taken.error());
    delivery_seqs_.clear();
    next_delivery_seq_ = 0;
    for (int row = 0; row < taken->rows(); ++row) delivery_seqs_.push_back(taken->integer(row, 0));
    if (delivery_seqs_.empty()) {
      return std::unexpected(
          Error{ErrorCode::kInternal, "the deliveries' sequence gave no value", {}});
    }
  }
  return delivery_seqs_[next_delivery_seq_++];
}

Result<int64_t> PgWriteTxn::insert_delivery(const Delivery& d) {
  std::optional<size_t> at;
  if (last_event_.stored && d.event_id == last_event_.id &&
      d.workspace_id == last_event_.workspace_id) {
    at = find_details(d.body, last_event_.details);
  }
  std::string body = at ? cut(d.body, *at, last_event_.details.size()) : d.body;
  std::optional<int64_t> event_seq;
  std::optional<int64_t> details_at;
  if (at) {
    if (last_event_.seq != 0) event_seq = last_event_.seq;
    details_at = static_cast<int64_t>(*at);
  }
  auto seq = take_delivery_seq();
  if (!seq) return std::unexpected(seq.error());
  // The delivery and its body in one statement that waits for no answer: it travels with the
  // job's next round trip, with the event's insert when that waits too. A body that keeps its
  // details apart points at its event's row; when the event's seq is not known here (its insert
  // is in the same round trip), the row is looked up by id.
  db().defer(
      "WITH d AS (INSERT INTO deliveries (seq, id, workspace_id, webhook_id, event_id, "
      "event_name, status, attempts, schedule_base, next_attempt_at, lease_owner, lease_number, "
      "created_at, updated_at, order_key) OVERRIDING SYSTEM VALUE VALUES ($18, $1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $17) RETURNING seq) "
      "INSERT INTO delivery_bodies (seq, body, event_seq, details_at) "
      "SELECT seq, $14, COALESCE($15, (SELECT e.seq FROM events e WHERE $16::bigint IS NOT NULL "
      "AND e.workspace_id = $2 AND e.id = $4)), $16 FROM d",
      {d.id, d.workspace_id, d.webhook_id, d.event_id, d.event_name, delivery_status_name(d.status),
       d.attempts, d.schedule_base, d.next_attempt_at, d.lease.owner,
       int64_t{d.lease.held() ? 1 : 0}, d.created_at, d.updated_at, body, event_seq, details_at,
       d.order_key, *seq});
  return *seq;
}

// Every transaction that reads or changes a chain's order (a new delivery queued or not, a
// head's end releasing the next, a manual retry or a recover queuing one) first takes the chain's
// lock, held to its commit: each then reads the chain as the one before it left it. Without it a
// delivery queued behind a head ending at that moment on another node would wait forever, or two
// nodes would each start a head. Only this statement waits: the reads after it are statements of
// their own, so they see what the last holder committed. Waits between the writers of two nodes
// can still form a cycle (each holds its locks to its batch's commit); PostgreSQL then fails one
// job after deadlock_timeout, and that writer commits the jobs before it and runs the job again in
// a transaction of its own (PgWriter::run_part).
constexpr std::string_view kLockChainSql =
    "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0))";

Result<bool> PgWriteTxn::order_key_busy(const std::string& webhook_id,
                                        const std::string& order_key) {
  db().defer(kLockChainSql, {webhook_id, order_key});  // one round trip with the read
  auto found = db().query(kOrderKeyBusySql, {webhook_id, order_key});
  if (!found) return std::unexpected(found.error());
  return found->rows() > 0;
}

Result<void> PgWriteTxn::release_next_in_order(const std::vector<OrderChain>& chains,
                                               int64_t now_ms) {
  // In one order, so that two record jobs never wait for each other's chains in a circle. Their
  // answer is only whether they worked: they go with the job's last round trip.
  std::vector<OrderChain> sorted = chains;
  std::ranges::sort(sorted, {},
                    [](const OrderChain& c) { return std::tie(c.webhook_id, c.order_key); });
  for (const OrderChain& chain : sorted) {
    db().defer(kLockChainSql, {chain.webhook_id, chain.order_key});
    db().defer(kReleaseNextInOrderSql, {now_ms, chain.webhook_id, chain.order_key});
  }
  return {};
}

Result<int64_t> PgWriteTxn::release_headless_chains(int64_t now_ms, int limit) {
  // Read without locks; each release then takes its chain's lock and checks again that the chain
  // has no head (another node may have released it meanwhile).
  auto found = db().query(kHeadlessChainsSql, {limit});
  if (!found) return std::unexpected(found.error());
  auto chains = read_all<OrderChain>(*found, [](const PgResult& result, int row) {
    return OrderChain{result.text(row, 0), result.text(row, 1)};
  });
  if (auto r = release_next_in_order(chains, now_ms); !r) return std::unexpected(r.error());
  return static_cast<int64_t>(chains.size());
}

Result<std::vector<Delivery>> PgWriteTxn::claim_due_deliveries(const std::string& owner,
                                                               int64_t now_ms, int64_t lease_ms,
                                                               int limit) {
  // The lease is the due time pushed to the lease's end: no other claim sees the row until then,
  // and if this node dies the row simply falls due again, for whichever node claims it next.
  // SKIP LOCKED: nodes claiming at once each take other rows, instead of waiting for one another
  // and then finding them taken. One round trip: lock, lease, and read them with their bodies,
  // oldest due first. The lease's length is lease_length_ms (core/delivery.h) in SQL, its
  // webhook's timeout counting as 0 once the webhook is gone.
  static const std::string sql =
      "WITH due AS (SELECT seq, next_attempt_at FROM deliveries WHERE status IN ('pending', "
      "'retrying') AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 "
      "FOR UPDATE SKIP LOCKED), "
      "d AS (UPDATE deliveries SET lease_owner = $3, lease_number = deliveries.lease_number + 1, "
      "next_attempt_at = $1 + GREATEST($4, COALESCE((SELECT w.timeout_ms FROM webhooks w WHERE "
      "w.id = deliveries.webhook_id), 0) + $5) FROM due WHERE deliveries.seq = due.seq "
      "RETURNING deliveries.*, due.next_attempt_at AS due_at) "
      "SELECT " +
      std::string(kDeliveryColumns) + ", " + std::string(kBodyColumns) + " FROM d " +
      std::string(kBodyJoin) + " ORDER BY d.due_at, d.seq";
  auto claimed =
      db().query(sql, {now_ms, limit, owner, lease_ms, kLeaseSlackMs + kLeaseStartWindowMs});
  if (!claimed) return std::unexpected(claimed.error());
  return read_all<Delivery>(*claimed, [](const PgResult& result, int row) {
    Delivery delivery = read_delivery(result, row);
    delivery.body = read_body(result, row, kDeliveryColumnCount);
    return delivery;
  });
}

Result<void> PgWriteTxn::record_attempt(const AttemptRecord& record, int64_t now_ms) {
  const Attempt& a = record.attempt;
  if (!record.lease.held()) {
    return std::unexpected(attempt_without_lease(a.number, a.delivery_id));
  }
  auto seq = delivery_seq(db(), a);
  if (!seq) return std::unexpected(seq.error());
  // The delivery first: its lease decides whether this node may write the outcome at all, and
  // the attempt is logged only if it did. One round trip for both.
  auto recorded = db().query(
      "WITH updated AS (UPDATE deliveries SET status = $1, attempts = GREATEST(attempts, $2), "
      "next_attempt_at = $3, lease_owner = '', last_status = $4, last_error = $5, "
      "last_duration_ms = $6, updated_at = $7 WHERE seq = $8 AND lease_owner = $9 AND "
      "lease_number = $10 AND status IN ('pending', 'retrying') RETURNING seq), "
      "logged AS (INSERT INTO attempts (delivery_seq, number, started_at, duration_ms, "
      "request_method, request_url, request_headers, response_status, response_headers, "
      "response_body, error_code, error_message) SELECT seq, $2, $11, $6, $12, $13, $14, $4, "
      "$15, $16, $5, $17 FROM updated ON CONFLICT DO NOTHING) "
      "SELECT count(*) FROM updated",
      {delivery_status_name(record.status), a.number, record.next_attempt_at, a.response_status,
       a.error_code, a.duration_ms, now_ms, *seq, record.lease.owner, record.lease.number,
       a.started_at, a.request_method, a.request_url,
       compact_request_headers(a.request_headers, a.delivery_id, a.started_at),
       Param::bytes(a.response_headers), Param::bytes(a.response_body), a.error_message});
  if (!recorded) return std::unexpected(recorded.error());
  if (recorded->integer(0, 0) == 0) return std::unexpected(lease_lost(record));
  return {};
}

Result<std::vector<std::optional<Error>>> PgWriteTxn::record_attempts(
    const std::vector<AttemptRecord>& records, int64_t now_ms) {
  // One statement for the whole turn instead of a round trip per record. What it cannot take
  // (a record without its seq or lease, the same delivery twice) goes one by one, and so does
  // the turn when the statement fails (a value PostgreSQL's text refuses), so that only the bad
  // record fails.
  std::unordered_set<int64_t> seqs;
  json::array input;
  input.reserve(records.size());
  for (const AttemptRecord& record : records) {
    const Attempt& a = record.attempt;
    if (a.delivery_seq == 0 || !record.lease.held() || !seqs.insert(a.delivery_seq).second) {
      return record_each(*this, records, now_ms);
    }
    input.push_back(json::object{
        {"seq", a.delivery_seq},
        {"status", delivery_status_name(record.status)},
        {"number", a.number},
        {"next_at", record.next_attempt_at},
        {"owner", record.lease.owner},
        {"lease", record.lease.number},
        {"started_at", a.started_at},
        {"duration", a.duration_ms},
        {"method", a.request_method},
        {"url", a.request_url},
        {"request_headers",
         compact_request_headers(a.request_headers, a.delivery_id, a.started_at)},
        {"response_status", a.response_status ? json::value(*a.response_status) : json::value()},
        // bytea travels as base64 inside JSON text.
        {"response_headers", base64_encode(a.response_headers)},
        {"response_body", base64_encode(a.response_body)},
        {"error_code", a.error_code},
        {"error_message", a.error_message}});
  }
  // The deliveries are found by seq, the only index this statement can use: not ended is said
  // as `NOT IN ('succeeded', 'dead')`, which keeps the planner off the partial index of due
  // deliveries (`status IN ('pending', 'retrying')`). That index's statistics lag a table that
  // grows fast (after every start from empty), and with them the planner preferred reading every
  // open delivery to a few lookups by seq (measured: 5 ms for 8 records at 20,000 open).
  std::optional<PgResult> updated;
  auto ran = in_savepoint([&]() -> Result<void> {
    auto result = db().query(
        "WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(seq bigint, status text, "
        "number integer, next_at bigint, owner text, lease bigint, started_at bigint, duration "
        "bigint, method text, url text, request_headers text, response_status integer, "
        "response_headers text, response_body text, error_code text, error_message text)), "
        "updated AS (UPDATE deliveries d SET status = i.status, attempts = GREATEST(d.attempts, "
        "i.number), next_attempt_at = i.next_at, lease_owner = '', last_status = "
        "i.response_status, last_error = i.error_code, last_duration_ms = i.duration, updated_at "
        "= $2 FROM input i WHERE d.seq = ANY(ARRAY(SELECT seq FROM input)) AND d.seq = i.seq AND "
        "d.lease_owner = i.owner AND d.lease_number = i.lease AND d.status NOT IN ('succeeded', "
        "'dead', 'queued') RETURNING d.seq), "
        "logged AS (INSERT INTO attempts (delivery_seq, number, started_at, duration_ms, "
        "request_method, request_url, request_headers, response_status, response_headers, "
        "response_body, error_code, error_message) SELECT i.seq, i.number, i.started_at, "
        "i.duration, i.method, i.url, i.request_headers, i.response_status, "
        "decode(i.response_headers, 'base64'), decode(i.response_body, 'base64'), i.error_code, "
        "i.error_message FROM input i JOIN updated u ON u.seq = i.seq ON CONFLICT DO NOTHING) "
        "SELECT seq FROM updated",
        {json::serialize(input), now_ms});
    if (!result) return std::unexpected(result.error());
    updated = std::move(*result);
    return {};
  });
  if (!ran) return std::unexpected(ran.error());
  if (!*ran) return record_each(*this, records, now_ms);
  std::unordered_set<int64_t> recorded;
  for (int row = 0; row < updated->rows(); ++row) recorded.insert(updated->integer(row, 0));
  std::vector<std::optional<Error>> outcomes(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (!recorded.contains(records[i].attempt.delivery_seq)) outcomes[i] = lease_lost(records[i]);
  }
  return outcomes;
}

Result<Delivery> PgWriteTxn::requeue_delivery(const std::string& workspace_id,
                                              const std::string& id, int64_t now_ms) {
  // Locked from the check to the change: a node claiming it meanwhile would send it twice.
  auto found = db().query("SELECT " + std::string(kDeliveryColumns) +
                              " FROM deliveries d WHERE d.workspace_id = $1 AND d.id = $2 "
                              "FOR UPDATE",
                          {workspace_id, id});
  if (!found) return std::unexpected(found.error());
  if (found->rows() == 0) return std::unexpected(Error::not_found("no delivery with id " + id));
  Delivery delivery = read_delivery(*found, 0);
  // A lease that has run out is only a flag left behind (a crash, a disabled webhook): no one is
  // sending the delivery.
  if (delivery.lease.held() && delivery.next_attempt_at > now_ms) {
    return std::unexpected(
        Error{ErrorCode::kConflict, "the delivery is being sent right now; try again later", {}});
  }
  if (auto r = requeue_in_order(*this, delivery, now_ms); !r) return std::unexpected(r.error());
  auto updated = db().query(
      "UPDATE deliveries SET status = $1, schedule_base = $2, next_attempt_at = $3, "
      "lease_owner = '', updated_at = $3 WHERE seq = $4",
      {delivery_status_name(delivery.status), delivery.schedule_base, now_ms, delivery.seq});
  if (!updated) return std::unexpected(updated.error());
  if (delivery.status != DeliveryStatus::kQueued) tell_work_due();
  return delivery;
}

Result<void> PgWriteTxn::release_deliveries(const std::string& owner,
                                            const std::vector<LeaseRef>& leases,
                                            int64_t due_at_ms) {
  if (leases.empty()) return {};
  // All of them in one statement; each lease still counts only with its own number. Found by
  // seq, as record_attempts explains.
  auto released = db().query(
      "UPDATE deliveries d SET lease_owner = '', next_attempt_at = $1 "
      "FROM unnest($2::bigint[], $3::bigint[]) AS l(seq, number) WHERE d.seq = ANY($2::bigint[]) "
      "AND d.seq = l.seq AND d.lease_owner = $4 AND d.lease_number = l.number AND "
      "d.status NOT IN ('succeeded', 'dead', 'queued')",
      {due_at_ms, bigint_array(leases, [](const LeaseRef& l) { return l.seq; }),
       bigint_array(leases, [](const LeaseRef& l) { return l.number; }), owner});
  if (!released) return std::unexpected(released.error());
  // Given back due now (a node stopping, or full): another node may send them at once. Due later
  // (a full webhook, an open breaker), they wait for a poll anyway.
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  if (released->rows_affected() > 0 && due_at_ms <= now_ms) tell_work_due();
  return {};
}

Result<int64_t> PgWriteTxn::requeue_failed(const std::string& workspace_id,
                                           const std::string& webhook_id, int64_t since_ms,
                                           int64_t until_ms, int64_t now_ms) {
  auto updated = db().query(
      "UPDATE deliveries SET status = " + std::string(kRequeuedStatusSql) +
          ", schedule_base = attempts, next_attempt_at = $1, lease_owner = '', updated_at = $1 "
          "WHERE workspace_id = $2 AND webhook_id = $3 AND created_at >= $4 AND created_at < $5 "
          "AND (status = 'dead' OR (status = 'retrying' AND (lease_owner = '' OR next_attempt_at "
          "<= $1)))",
      {now_ms, workspace_id, webhook_id, since_ms, until_ms});
  if (!updated) return std::unexpected(updated.error());
  if (updated->rows_affected() > 0) {
    // The locks of the chains that now have queued deliveries, in order (kLockChainSql), before
    // reading which of them have no head.
    auto locked = db().query(
        "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || k, 0)) FROM (SELECT "
        "DISTINCT order_key AS k FROM deliveries WHERE webhook_id = $1 AND status = 'queued' "
        "ORDER BY 1) c",
        {webhook_id});
    if (!locked) return std::unexpected(locked.error());
    auto heads = db().query(kReleaseChainHeadsSql, {now_ms, webhook_id});
    if (!heads) return std::unexpected(heads.error());
    tell_work_due();
  }
  return updated->rows_affected();
}

Result<int64_t> PgWriteTxn::release_leases_of(const std::string& owner, int64_t now_ms) {
  auto released = db().query(
      "UPDATE deliveries SET lease_owner = '', next_attempt_at = LEAST(next_attempt_at, $1) "
      "WHERE status IN ('pending', 'retrying') AND lease_owner = $2",
      {now_ms, owner});
  if (!released) return std::unexpected(released.error());
  return released->rows_affected();
}

void PgWriteTxn::tell_work_due() {
  db().defer("SELECT pg_notify($1, '')", {PgClusterWatch::kDueChannel});
}

Result<int64_t> PgWriteTxn::share_breaker(const BreakerNews& news) {
  // Sent with the batch's COMMIT, like the triggers' notifications.
  auto sent = db().query("SELECT pg_notify($1, $2)",
                         {PgClusterWatch::kBreakerChannel, encode_breaker_news(news)});
  if (!sent) return std::unexpected(sent.error());
  if (!news.open) {
    auto healthy = db().query(
        "UPDATE webhook_health SET failing_since = 0 WHERE webhook_id = $1 AND failing_since <> 0",
        {news.webhook_id});
    if (!healthy) return std::unexpected(healthy.error());
    return 0;
  }
  // Whichever node opened it first in the spell sets the start; the others read it back.
  auto failing = db().query(
      "INSERT INTO webhook_health (webhook_id, failing_since) SELECT id, $2 FROM webhooks WHERE "
      "id = $1 ON CONFLICT (webhook_id) DO UPDATE SET failing_since = CASE "
      "webhook_health.failing_since WHEN 0 THEN "
      "excluded.failing_since ELSE webhook_health.failing_since END RETURNING failing_since",
      {news.webhook_id, news.open_until_ms - news.interval_ms});
  if (!failing) return std::unexpected(failing.error());
  return failing->rows() > 0 ? failing->integer(0, 0) : 0;  // none: the webhook was deleted
}

Result<int64_t> PgWriteTxn::release_webhook_deliveries(const std::string& webhook_id,
                                                       int64_t now_ms) {
  auto released = db().query(
      "UPDATE deliveries SET lease_owner = '', next_attempt_at = $1 WHERE webhook_id = $2 AND "
      "lease_owner <> '' AND status IN ('pending', 'retrying')",
      {now_ms, webhook_id});
  if (!released) return std::unexpected(released.error());
  if (released->rows_affected() > 0) tell_work_due();
  return released->rows_affected();
}

Result<int64_t> PgWriteTxn::hasten_deferred(const std::string& webhook_id, int64_t now_ms,
                                            int64_t until_ms, int limit) {
  // Rows another node is hastening or claiming meanwhile are skipped: not due, they are claimed
  // by no one, and the other node's hasten makes them due as well.
  auto hastened = db().query(
      "UPDATE deliveries SET next_attempt_at = $1 WHERE seq IN (SELECT seq FROM deliveries WHERE "
      "status IN ('pending', 'retrying') AND next_attempt_at > $1 AND next_attempt_at <= $2 AND "
      "status = 'pending' AND webhook_id = $3 AND attempts = 0 AND lease_owner = '' ORDER BY "
      "next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)",
      {now_ms, until_ms, webhook_id, limit});
  if (!hastened) return std::unexpected(hastened.error());
  if (hastened->rows_affected() > 0) tell_work_due();
  return hastened->rows_affected();
}

Result<std::optional<DeliveryAnswer>> PgWriteTxn::delivery_answer(const std::string& workspace_id,
                                                                  const std::string& delivery_id) {
  auto found = db().query(std::string(kDeliveryAnswerSql), {workspace_id, delivery_id});
  if (!found) return std::unexpected(found.error());
  if (found->rows() == 0) return std::nullopt;
  DeliveryAnswer answer;
  answer.status = parse_delivery_status(found->text(0, 0)).value_or(DeliveryStatus::kPending);
  answer.next_attempt_at = found->integer(0, 1);
  answer.response_body = found->bytes(0, 2);
  return answer;
}

Result<void> PgWriteTxn::note_last_attempt(const std::string& workspace_id,
                                           const std::string& delivery_id,
                                           const std::string& note) {
  auto updated = db().query(std::string(kNoteLastAttemptSql), {note, workspace_id, delivery_id});
  if (!updated) return std::unexpected(updated.error());
  return {};
}

}  // namespace hookline::store::postgres
