// Events and deliveries inside the writer's transaction: the event path's writes.
#include <boost/json/serialize.hpp>

#include "store/body_splice.h"
#include "store/delivery_cursor.h"
#include "store/request_headers.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {

// In-process reads cost no round trip: each is asked when it is needed.
Result<void> SqliteWriteTxn::prefetch_events(const std::string& /*workspace_id*/,
                                             const std::vector<std::string>& /*event_ids*/,
                                             const std::vector<std::string>& /*contact_emails*/) {
  return {};
}

Result<bool> SqliteWriteTxn::event_exists(const std::string& workspace_id, const std::string& id) {
  Statement& query = prepare("SELECT 1 FROM events WHERE workspace_id = ? AND id = ?");
  query.bind(1, workspace_id).bind(2, id);
  return query.step();
}

Result<bool> SqliteWriteTxn::insert_event(const std::string& workspace_id, const Event& event,
                                          const std::string& contact_id, int64_t received_at) {
  Statement& insert = prepare(
      "INSERT INTO events (workspace_id, id, name, contact_id, time_ms, details, received_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  std::string details = boost::json::serialize(event.details);
  insert.bind(1, workspace_id)
      .bind(2, event.id)
      .bind(3, event.name)
      .bind(4, contact_id)
      .bind(5, event.time_ms)
      .bind(6, details)
      .bind(7, received_at);
  if (auto r = insert.run(); !r) return std::unexpected(r.error());
  if (connection_.changes() == 0) return false;
  catalog_news_.event_stored(workspace_id, event.name, event.details, details, contact_id,
                             received_at);
  last_event_ = {workspace_id, event.id, connection_.last_insert_rowid(), std::move(details)};
  return true;
}

Result<std::shared_ptr<const std::vector<Webhook>>> SqliteWriteTxn::subscribed_webhooks(
    const std::string& workspace_id, const std::string& event_name) {
  if (auto cached = caches_.subscriptions.find(workspace_id, event_name)) return cached;
  Statement& query = prepare("SELECT " + std::string(kWebhookColumns) +
                             " FROM webhooks WHERE enabled = 1 AND id IN (SELECT webhook_id FROM "
                             "webhook_events WHERE workspace_id = ? AND event = ?) ORDER BY id");
  query.bind(1, workspace_id).bind(2, event_name);
  auto webhooks = read_all<Webhook>(query, WebhookReader{secrets_});
  if (!webhooks) return std::unexpected(webhooks.error());
  auto shared = std::make_shared<const std::vector<Webhook>>(std::move(*webhooks));
  caches_.subscriptions.put(workspace_id, event_name, shared);
  return shared;
}

Result<int64_t> SqliteWriteTxn::insert_delivery(const Delivery& d) {
  Statement& insert = prepare(
      "INSERT INTO deliveries (id, workspace_id, webhook_id, event_id, event_name, status, "
      "attempts, schedule_base, next_attempt_at, lease_owner, lease_number, created_at, "
      "updated_at, order_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, d.id)
      .bind(2, d.workspace_id)
      .bind(3, d.webhook_id)
      .bind(4, d.event_id)
      .bind(5, d.event_name)
      .bind(6, delivery_status_name(d.status))
      .bind(7, int64_t{d.attempts})
      .bind(8, int64_t{d.schedule_base})
      .bind(9, d.next_attempt_at)
      .bind(10, d.lease.owner)
      .bind(11, int64_t{d.lease.held() ? 1 : 0})
      .bind(12, d.created_at)
      .bind(13, d.updated_at)
      .bind(14, d.order_key);
  if (auto r = insert.run(); !r) return std::unexpected(r.error());
  const int64_t seq = connection_.last_insert_rowid();
  Statement& body =
      prepare("INSERT INTO delivery_bodies (seq, body, event_seq, details_at) VALUES (?, ?, ?, ?)");
  body.bind(1, seq);
  std::optional<size_t> at;
  if (last_event_.seq != 0 && d.event_id == last_event_.id &&
      d.workspace_id == last_event_.workspace_id) {
    at = find_details(d.body, last_event_.details);
  }
  if (at) {
    body.bind(2, cut(d.body, *at, last_event_.details.size()))
        .bind(3, last_event_.seq)
        .bind(4, static_cast<int64_t>(*at));
  } else {
    body.bind(2, d.body).bind_null(3).bind_null(4);
  }
  if (auto r = body.run(); !r) return std::unexpected(r.error());
  return seq;
}

Result<bool> SqliteWriteTxn::order_key_busy(const std::string& webhook_id,
                                            const std::string& order_key) {
  Statement& query = prepare(std::string(kOrderKeyBusySql));
  query.bind(1, webhook_id).bind(2, order_key);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  query.reset();
  return *row;
}

Result<void> SqliteWriteTxn::release_next_in_order(const std::vector<OrderChain>& chains,
                                                   int64_t now_ms) {
  for (const OrderChain& chain : chains) {
    Statement& release = prepare(std::string(kReleaseNextInOrderSql));
    release.bind(1, now_ms).bind(2, chain.webhook_id).bind(3, chain.order_key);
    if (auto r = release.run(); !r) return r;
  }
  return {};
}

Result<int64_t> SqliteWriteTxn::release_headless_chains(int64_t now_ms, int limit) {
  Statement& query = prepare(std::string(kHeadlessChainsSql));
  query.bind(1, int64_t{limit});
  auto chains = read_all<OrderChain>(query, [](const Statement& row) {
    return OrderChain{row.text(0), row.text(1)};
  });
  if (!chains) return std::unexpected(chains.error());
  if (auto r = release_next_in_order(*chains, now_ms); !r) return std::unexpected(r.error());
  return static_cast<int64_t>(chains->size());
}

Result<std::vector<Delivery>> SqliteWriteTxn::claim_due_deliveries(const std::string& owner,
                                                                   int64_t now_ms, int64_t lease_ms,
                                                                   int limit) {
  Statement& query =
      prepare("SELECT " + std::string(kDeliveryColumns) + ", " + std::string(kBodyColumns) +
              ", (SELECT timeout_ms FROM webhooks w WHERE w.id = d.webhook_id) FROM deliveries d " +
              std::string(kBodyJoin) +
              " WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= "
              "? ORDER BY d.next_attempt_at LIMIT ?");
  query.bind(1, now_ms).bind(2, int64_t{limit});
  auto claimed = read_all<Delivery>(query, [now_ms, lease_ms](const Statement& row) {
    Delivery delivery = read_delivery(row);
    delivery.body = read_body(row, kDeliveryColumnCount);
    // Here until the claim below: the lease's end, long enough for a try of its webhook.
    delivery.next_attempt_at =
        now_ms + lease_length_ms(lease_ms, row.integer(kDeliveryColumnCount + 3));
    return delivery;
  });
  if (!claimed) return std::unexpected(claimed.error());
  query.reset();  // done reading before the same transaction writes these rows
  // The lease is the due time pushed to the lease's end: no other claim sees the row until then,
  // and if this node dies the row simply falls due again, for whichever node claims it next.
  for (Delivery& delivery : *claimed) {
    Statement& lease = prepare(
        "UPDATE deliveries SET lease_owner = ?, lease_number = lease_number + 1, "
        "next_attempt_at = ? WHERE seq = ?");
    lease.bind(1, owner).bind(2, delivery.next_attempt_at).bind(3, delivery.seq);
    if (auto r = lease.run(); !r) return std::unexpected(r.error());
    delivery.lease = {owner, delivery.lease.number + 1};
  }
  return claimed;
}

Result<int64_t> SqliteWriteTxn::delivery_seq(const Attempt& attempt) {
  if (attempt.delivery_seq != 0) return attempt.delivery_seq;
  Statement& query = prepare("SELECT seq FROM deliveries WHERE id = ?");
  query.bind(1, attempt.delivery_id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no delivery with id " + attempt.delivery_id));
  const int64_t seq = query.integer(0);
  query.reset();
  return seq;
}

// In-process statements cost no round trip: one by one is as fast as SQLite goes.
Result<std::vector<std::optional<Error>>> SqliteWriteTxn::record_attempts(
    const std::vector<AttemptRecord>& records, int64_t now_ms) {
  return record_each(*this, records, now_ms);
}

Result<void> SqliteWriteTxn::record_attempt(const AttemptRecord& record, int64_t now_ms) {
  const Attempt& a = record.attempt;
  if (!record.lease.held()) {
    return std::unexpected(attempt_without_lease(a.number, a.delivery_id));
  }
  auto seq = delivery_seq(a);
  if (!seq) return std::unexpected(seq.error());
  // The delivery first: its lease decides whether this node may write the outcome at all.
  Statement& update = prepare(
      "UPDATE deliveries SET status = ?, attempts = MAX(attempts, ?), next_attempt_at = ?, "
      "lease_owner = '', last_status = ?, last_error = ?, last_duration_ms = ?, updated_at = ? "
      "WHERE seq = ? AND lease_owner = ? AND lease_number = ? AND status IN ('pending', "
      "'retrying')");
  update.bind(1, delivery_status_name(record.status))
      .bind(2, int64_t{a.number})
      .bind(3, record.next_attempt_at);
  if (a.response_status) {
    update.bind(4, int64_t{*a.response_status});
  } else {
    update.bind_null(4);
  }
  update.bind(5, a.error_code)
      .bind(6, a.duration_ms)
      .bind(7, now_ms)
      .bind(8, *seq)
      .bind(9, record.lease.owner)
      .bind(10, record.lease.number);
  if (auto r = update.run(); !r) return r;
  if (connection_.changes() == 0) {
    return std::unexpected(Error{ErrorCode::kConflict,
                                 "delivery " + a.delivery_id + ": lease " + record.lease.owner +
                                     "#" + std::to_string(record.lease.number) +
                                     " is no longer held (it ended and the delivery was claimed "
                                     "again, released, or finished); attempt " +
                                     std::to_string(a.number) + " not recorded",
                                 {}});
  }

  Statement& insert = prepare(
      "INSERT INTO attempts (delivery_seq, number, started_at, duration_ms, request_method, "
      "request_url, request_headers, response_status, response_headers, response_body, "
      "error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO "
      "NOTHING");
  insert.bind(1, *seq)
      .bind(2, int64_t{a.number})
      .bind(3, a.started_at)
      .bind(4, a.duration_ms)
      .bind(5, a.request_method)
      .bind(6, a.request_url)
      .bind(7, compact_request_headers(a.request_headers, a.delivery_id, a.started_at));
  if (a.response_status) {
    insert.bind(8, int64_t{*a.response_status});
  } else {
    insert.bind_null(8);
  }
  insert.bind(9, a.response_headers)
      .bind(10, a.response_body)
      .bind(11, a.error_code)
      .bind(12, a.error_message);
  return insert.run();
}

Result<Delivery> SqliteWriteTxn::requeue_delivery(const std::string& workspace_id,
                                                  const std::string& id, int64_t now_ms) {
  Statement& query = prepare("SELECT " + std::string(kDeliveryColumns) +
                             " FROM deliveries d WHERE d.workspace_id = ? AND d.id = ?");
  query.bind(1, workspace_id).bind(2, id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no delivery with id " + id));
  Delivery delivery = read_delivery(query);
  // A lease that has run out is only a flag left behind (a crash, a disabled webhook): no one is
  // sending the delivery.
  const bool leased = delivery.lease.held() && delivery.next_attempt_at > now_ms;
  query.reset();
  if (leased) {
    return std::unexpected(
        Error{ErrorCode::kConflict, "the delivery is being sent right now; try again later", {}});
  }
  if (auto r = requeue_in_order(*this, delivery, now_ms); !r) return std::unexpected(r.error());
  Statement& update = prepare(
      "UPDATE deliveries SET status = ?, schedule_base = ?, next_attempt_at = ?, "
      "lease_owner = '', updated_at = ? WHERE seq = ?");
  update.bind(1, delivery_status_name(delivery.status))
      .bind(2, int64_t{delivery.schedule_base})
      .bind(3, now_ms)
      .bind(4, now_ms)
      .bind(5, delivery.seq);
  if (auto r = update.run(); !r) return std::unexpected(r.error());
  return delivery;
}

Result<void> SqliteWriteTxn::release_deliveries(const std::string& owner,
                                                const std::vector<LeaseRef>& leases,
                                                int64_t due_at_ms) {
  for (const LeaseRef& lease : leases) {
    Statement& release = prepare(
        "UPDATE deliveries SET lease_owner = '', next_attempt_at = ? WHERE seq = ? AND "
        "lease_owner = ? AND lease_number = ? AND status IN ('pending', 'retrying')");
    release.bind(1, due_at_ms).bind(2, lease.seq).bind(3, owner).bind(4, lease.number);
    if (auto r = release.run(); !r) return r;
  }
  return {};
}

Result<int64_t> SqliteWriteTxn::requeue_failed(const std::string& workspace_id,
                                               const std::string& webhook_id, int64_t since_ms,
                                               int64_t until_ms, int64_t now_ms) {
  Statement& update = prepare(
      "UPDATE deliveries SET status = " + std::string(kRequeuedStatusSql) +
      ", schedule_base = attempts, next_attempt_at = ?, lease_owner = '', updated_at = ? WHERE "
      "workspace_id = ? AND webhook_id = ? AND created_at >= ? AND created_at < ? AND (status = "
      "'dead' OR (status = 'retrying' AND (lease_owner = '' OR next_attempt_at <= ?)))");
  update.bind(1, now_ms)
      .bind(2, now_ms)
      .bind(3, workspace_id)
      .bind(4, webhook_id)
      .bind(5, since_ms)
      .bind(6, until_ms)
      .bind(7, now_ms);
  if (auto r = update.run(); !r) return std::unexpected(r.error());
  const int64_t requeued = connection_.changes();
  if (requeued > 0) {
    Statement& heads = prepare(std::string(kReleaseChainHeadsSql));
    heads.bind(1, now_ms).bind(2, webhook_id);
    if (auto r = heads.run(); !r) return std::unexpected(r.error());
  }
  return requeued;
}

Result<int64_t> SqliteWriteTxn::release_leases_of(const std::string& owner, int64_t now_ms) {
  Statement& release = prepare(
      "UPDATE deliveries SET lease_owner = '', next_attempt_at = MIN(next_attempt_at, ?) WHERE "
      "status IN ('pending', 'retrying') AND lease_owner = ?");
  release.bind(1, now_ms).bind(2, owner);
  if (auto r = release.run(); !r) return std::unexpected(r.error());
  return connection_.changes();
}

// One process uses a SQLite store: no other node to tell, only the failing spell to keep.
Result<int64_t> SqliteWriteTxn::share_breaker(const BreakerNews& news) {
  if (!news.open) {
    Statement& healthy = prepare(
        "UPDATE webhook_health SET failing_since = 0 WHERE webhook_id = ? AND failing_since <> 0");
    healthy.bind(1, news.webhook_id);
    if (auto r = healthy.run(); !r) return std::unexpected(r.error());
    return 0;
  }
  Statement& failing = prepare(
      "INSERT INTO webhook_health (webhook_id, failing_since) SELECT id, ? FROM webhooks WHERE "
      "id = ? ON CONFLICT (webhook_id) DO UPDATE SET failing_since = CASE failing_since WHEN 0 "
      "THEN "
      "excluded.failing_since ELSE failing_since END RETURNING failing_since");
  failing.bind(1, news.open_until_ms - news.interval_ms).bind(2, news.webhook_id);
  auto row = failing.step();
  if (!row) return std::unexpected(row.error());
  const int64_t since = *row ? failing.integer(0) : 0;  // no row: the webhook was deleted
  failing.reset();  // done with its one row: no statement left running at the commit
  return since;
}

Result<int64_t> SqliteWriteTxn::release_webhook_deliveries(const std::string& webhook_id,
                                                           int64_t now_ms) {
  Statement& release = prepare(
      "UPDATE deliveries SET lease_owner = '', next_attempt_at = ? WHERE webhook_id = ? AND "
      "lease_owner != '' AND status IN ('pending', 'retrying')");
  release.bind(1, now_ms).bind(2, webhook_id);
  if (auto r = release.run(); !r) return std::unexpected(r.error());
  return connection_.changes();
}

Result<int64_t> SqliteWriteTxn::hasten_deferred(const std::string& webhook_id, int64_t now_ms,
                                                int64_t until_ms, int limit) {
  // The status term repeats deliveries_due's predicate word for word: SQLite uses a partial index
  // only for a query whose WHERE holds each of its terms.
  Statement& hasten = prepare(
      "UPDATE deliveries SET next_attempt_at = ?1 WHERE seq IN (SELECT seq FROM deliveries WHERE "
      "status IN ('pending', 'retrying') AND next_attempt_at > ?1 AND next_attempt_at <= ?2 AND "
      "status = 'pending' AND webhook_id = ?3 AND attempts = 0 AND lease_owner = '' ORDER BY "
      "next_attempt_at LIMIT ?4)");
  hasten.bind(1, now_ms).bind(2, until_ms).bind(3, webhook_id).bind(4, int64_t{limit});
  if (auto r = hasten.run(); !r) return std::unexpected(r.error());
  return connection_.changes();
}

Result<std::optional<DeliveryAnswer>> SqliteWriteTxn::delivery_answer(
    const std::string& workspace_id, const std::string& delivery_id) {
  Statement& query = prepare(std::string(kDeliveryAnswerSql));
  query.bind(1, workspace_id).bind(2, delivery_id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::nullopt;
  DeliveryAnswer answer;
  answer.status = parse_delivery_status(query.text(0)).value_or(DeliveryStatus::kPending);
  answer.next_attempt_at = query.integer(1);
  answer.response_body = query.text(2);
  query.reset();
  return answer;
}

Result<void> SqliteWriteTxn::note_last_attempt(const std::string& workspace_id,
                                               const std::string& delivery_id,
                                               const std::string& note) {
  Statement& update = prepare(std::string(kNoteLastAttemptSql));
  update.bind(1, note).bind(2, workspace_id).bind(3, delivery_id);
  return update.run();
}

}  // namespace hookline::store::sqlite
