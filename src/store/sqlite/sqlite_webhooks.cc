#include <boost/json/serialize.hpp>

#include "core/webhook_codec.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/webhook_secrets.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

namespace {

// `sealed` is sealed_columns(webhook): auth and headers go in as stored.
void bind_spec(Statement& statement, const Webhook& webhook, const SecretColumns& sealed,
               int first) {
  const WebhookSpec& spec = webhook.spec;
  statement.bind(first, spec.name)
      .bind(first + 1, spec.url)
      .bind(first + 2, spec.method)
      .bind(first + 3, sealed.auth)
      .bind(first + 4, sealed.headers);
  if (spec.custom_payload) {
    statement.bind(first + 5, json::serialize(*spec.custom_payload));
  } else {
    statement.bind_null(first + 5);
  }
  statement.bind(first + 6, int64_t{spec.enabled ? 1 : 0})
      .bind(first + 7, int64_t{spec.timeout_ms})
      .bind(first + 8, webhook.updated_at)
      .bind(first + 9, int64_t{spec.max_in_flight})
      .bind(first + 10, int64_t{spec.rate_limit_per_second})
      .bind(first + 11, json::serialize(filters_to_json(spec.filters)))
      .bind(first + 12, int64_t{spec.self_heal ? 1 : 0})
      .bind(first + 13, webhook_ordering_name(spec.ordering));
}

// A webhook's health starts afresh (enabled by a user, or healed): no failing spell, no probes.
constexpr const char* kHealthAfresh =
    "UPDATE webhook_health SET failing_since = 0, probes = 0, next_probe_at = 0 WHERE webhook_id = "
    "?";

}  // namespace

Result<void> SqliteStore::write_webhook_events(const Webhook& webhook) {
  Statement clear(connection_.handle(), "DELETE FROM webhook_events WHERE webhook_id = ?");
  clear.bind(1, webhook.id);
  if (auto r = clear.run(); !r) return r;
  Statement insert(connection_.handle(),
                   "INSERT OR IGNORE INTO webhook_events (webhook_id, workspace_id, event, "
                   "position) VALUES (?, ?, ?, ?)");
  int64_t position = 0;
  for (const std::string& event : webhook.spec.events) {
    insert.reset();
    insert.bind(1, webhook.id).bind(2, webhook.workspace_id).bind(3, event).bind(4, position++);
    if (auto r = insert.run(); !r) return r;
  }
  return {};
}

Result<void> SqliteStore::insert_webhook(const Webhook& webhook) {
  auto sealed = sealed_columns(*secrets_, webhook);
  if (!sealed) return std::unexpected(sealed.error());
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return r;
  Statement insert(connection_.handle(),
                   "INSERT INTO webhooks (id, workspace_id, created_at, name, url, method, auth, "
                   "headers, custom_payload, enabled, timeout_ms, updated_at, max_in_flight, "
                   "rate_limit_per_second, filters, self_heal, ordering, secret, previous_secret, "
                   "previous_secret_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?, ?, ?)");
  insert.bind(1, webhook.id).bind(2, webhook.workspace_id).bind(3, webhook.created_at);
  bind_spec(insert, webhook, *sealed, 4);
  insert.bind(18, sealed->secret)
      .bind(19, sealed->previous_secret)
      .bind(20, webhook.previous_secret_expires_at);
  if (auto r = insert.run(); !r) return r;
  if (auto r = write_webhook_events(webhook); !r) return r;
  return tx.commit();
}

Result<Webhook> SqliteStore::get_webhook(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), std::string("SELECT ") + std::string(kWebhookColumns) +
                                            " FROM webhooks WHERE workspace_id = ? AND id = ?");
  query.bind(1, workspace_id).bind(2, id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no webhook with id " + id));
  return read_webhook(query, *secrets_);
}

Result<Page<Webhook>> SqliteStore::list_webhooks(const std::string& workspace_id,
                                                 const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  std::string("SELECT ") + std::string(kWebhookColumns) +
                      " FROM webhooks WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  return read_page<Webhook>(query, page.limit, WebhookReader{*secrets_});
}

Result<void> SqliteStore::update_webhook(const Webhook& webhook) {
  auto sealed = sealed_columns(*secrets_, webhook);
  if (!sealed) return std::unexpected(sealed.error());
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return r;
  Statement update(connection_.handle(),
                   "UPDATE webhooks SET name = ?, url = ?, method = ?, auth = ?, headers = ?, "
                   "custom_payload = ?, enabled = ?, timeout_ms = ?, updated_at = ?, "
                   "max_in_flight = ?, rate_limit_per_second = ?, filters = ?, self_heal = ?, "
                   "ordering = ? WHERE workspace_id = ? AND id = ?");
  bind_spec(update, webhook, *sealed, 1);
  update.bind(15, webhook.workspace_id).bind(16, webhook.id);
  if (auto r = update.run(); !r) return r;
  if (connection_.changes() == 0) {
    return std::unexpected(Error::not_found("no webhook with id " + webhook.id));
  }
  if (webhook.spec.enabled) {
    // Enabled again by a user: why Hookline had disabled it no longer holds.
    Statement clear(connection_.handle(),
                    "UPDATE webhooks SET disabled_reason = '', disabled_at = 0 WHERE id = ? AND "
                    "disabled_reason <> ''");
    clear.bind(1, webhook.id);
    if (auto r = clear.run(); !r) return r;
    // A user saved it enabled: a failing spell counts from its next failures, not from before,
    // and a later self-healing starts its probes afresh.
    Statement healthy(connection_.handle(), kHealthAfresh);
    healthy.bind(1, webhook.id);
    if (auto r = healthy.run(); !r) return r;
  }
  if (auto r = write_webhook_events(webhook); !r) return r;
  return tx.commit();
}

Result<bool> SqliteStore::disable_webhook(const std::string& workspace_id, const std::string& id,
                                          const std::string& reason, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement disable(connection_.handle(),
                    "UPDATE webhooks SET enabled = 0, disabled_reason = ?, disabled_at = ?, "
                    "updated_at = ? WHERE workspace_id = ? AND id = ? AND enabled = 1");
  disable.bind(1, reason).bind(2, now_ms).bind(3, now_ms).bind(4, workspace_id).bind(5, id);
  if (auto r = disable.run(); !r) return std::unexpected(r.error());
  return connection_.changes() > 0;
}

Result<Webhook> SqliteStore::rotate_webhook_secret(const std::string& workspace_id,
                                                   const std::string& id,
                                                   const std::string& new_secret,
                                                   int64_t expires_at, int64_t now_ms) {
  auto sealed = sealed_value(*secrets_, id, new_secret);
  if (!sealed) return std::unexpected(sealed.error());
  {
    std::lock_guard lock(mutex_);
    // The current secret moves to previous_secret still sealed: the row, its associated data, is
    // the same.
    Statement rotate(connection_.handle(),
                     "UPDATE webhooks SET previous_secret = secret, secret = ?, "
                     "previous_secret_expires_at = ?, updated_at = ? WHERE workspace_id = ? AND "
                     "id = ?");
    rotate.bind(1, *sealed).bind(2, expires_at).bind(3, now_ms).bind(4, workspace_id).bind(5, id);
    if (auto r = rotate.run_changing(Error::not_found("no webhook with id " + id)); !r) {
      return std::unexpected(r.error());
    }
  }
  return get_webhook(workspace_id, id);
}

Result<void> SqliteStore::delete_webhook(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement remove(connection_.handle(), "DELETE FROM webhooks WHERE workspace_id = ? AND id = ?");
  remove.bind(1, workspace_id).bind(2, id);
  return remove.run_changing(Error::not_found("no webhook with id " + id));
}

Result<std::vector<ProbeDue>> SqliteStore::webhooks_to_probe(int64_t now_ms, int64_t first_probe_ms,
                                                             int limit) {
  std::lock_guard lock(mutex_);
  Statement query(
      connection_.handle(),
      std::string("SELECT ") + std::string(kWebhookColumns) +
          ", COALESCE(h.probes, 0), COALESCE(h.next_probe_at, 0) FROM webhooks LEFT JOIN "
          "webhook_health h ON h.webhook_id = webhooks.id WHERE enabled = 0 AND "
          "disabled_reason <> '' AND self_heal = 1 AND (CASE WHEN COALESCE(h.next_probe_at, 0) = "
          "0 THEN disabled_at + ? ELSE h.next_probe_at END) <= ? ORDER BY (CASE WHEN "
          "COALESCE(h.next_probe_at, 0) = 0 THEN disabled_at + ? ELSE h.next_probe_at END) LIMIT "
          "?");
  query.bind(1, first_probe_ms).bind(2, now_ms).bind(3, first_probe_ms).bind(4, int64_t{limit});
  std::vector<ProbeDue> due;
  while (true) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return due;
    auto webhook = read_webhook(query, *secrets_);
    if (!webhook) return std::unexpected(webhook.error());
    due.push_back({std::move(*webhook), static_cast<int>(query.integer(kWebhookColumnCount)),
                   query.integer(kWebhookColumnCount + 1)});
  }
}

Result<bool> SqliteStore::claim_probe(const ProbeDue& due, int64_t next_ms) {
  std::lock_guard lock(mutex_);
  Statement claim(connection_.handle(),
                  "INSERT INTO webhook_health (webhook_id, probes, next_probe_at) VALUES (?, 1, ?) "
                  "ON CONFLICT (webhook_id) DO UPDATE SET probes = probes + 1, next_probe_at = "
                  "excluded.next_probe_at WHERE next_probe_at = ?");
  claim.bind(1, due.webhook.id).bind(2, next_ms).bind(3, due.next_probe_at);
  if (auto r = claim.run(); !r) return std::unexpected(r.error());
  return connection_.changes() > 0;
}

Result<bool> SqliteStore::heal_webhook(const std::string& workspace_id, const std::string& id,
                                       int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return std::unexpected(r.error());
  Statement heal(connection_.handle(),
                 "UPDATE webhooks SET enabled = 1, disabled_reason = '', disabled_at = 0, "
                 "healed_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND enabled = 0 "
                 "AND disabled_reason <> '' AND self_heal = 1");
  heal.bind(1, now_ms).bind(2, now_ms).bind(3, workspace_id).bind(4, id);
  if (auto r = heal.run(); !r) return std::unexpected(r.error());
  if (connection_.changes() == 0) return false;  // the transaction rolls back: nothing changed
  Statement healthy(connection_.handle(), kHealthAfresh);
  healthy.bind(1, id);
  if (auto r = healthy.run(); !r) return std::unexpected(r.error());
  if (auto r = tx.commit(); !r) return std::unexpected(r.error());
  return true;
}

}  // namespace hookline::store::sqlite
