// Webhooks and their subscriptions, on the pool: the management API's side.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <vector>

#include "core/webhook_codec.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"
#include "store/webhook_secrets.h"

namespace hookline::store::postgres {
namespace json = boost::json;

namespace {

// What a user configures, in the order both the INSERT and the UPDATE below take it. `sealed` is
// sealed_columns(webhook): auth and headers go in as stored.
std::vector<Param> spec_params(const Webhook& webhook, const SecretColumns& sealed) {
  const WebhookSpec& spec = webhook.spec;
  std::optional<std::string> custom_payload;
  if (spec.custom_payload) custom_payload = json::serialize(*spec.custom_payload);
  return {spec.name,
          spec.url,
          spec.method,
          sealed.auth,
          sealed.headers,
          custom_payload,
          spec.enabled,
          spec.timeout_ms,
          webhook.updated_at,
          spec.max_in_flight,
          spec.rate_limit_per_second,
          json::serialize(filters_to_json(spec.filters)),
          spec.self_heal,
          std::string(webhook_ordering_name(spec.ordering))};
}

// Replaces the webhook's subscription rows; inside the caller's transaction.
Result<void> write_webhook_events(PgConnection& db, const Webhook& webhook) {
  auto cleared = db.query("DELETE FROM webhook_events WHERE webhook_id = $1", {webhook.id});
  if (!cleared) return std::unexpected(cleared.error());
  if (webhook.spec.events.empty()) return {};
  json::array events;
  events.reserve(webhook.spec.events.size());
  for (const std::string& event : webhook.spec.events) events.emplace_back(event);
  // All names in one statement, passed as a JSON array. A name given twice keeps its first
  // position, and positions count every name given, as SQLite's INSERT OR IGNORE in list order
  // leaves them.
  auto inserted = db.query(
      "INSERT INTO webhook_events (webhook_id, workspace_id, event, position) "
      "SELECT DISTINCT ON (e.event) $1::text, $2::text, e.event, e.number - 1 "
      "FROM json_array_elements_text($3::json) WITH ORDINALITY AS e(event, number) "
      "ORDER BY e.event, e.number",
      {webhook.id, webhook.workspace_id, json::serialize(events)});
  if (!inserted) return std::unexpected(inserted.error());
  return {};
}

// A webhook's health starts afresh (enabled by a user, or healed): no failing spell, no probes.
constexpr const char* kHealthAfresh =
    "UPDATE webhook_health SET failing_since = 0, probes = 0, next_probe_at = 0 WHERE webhook_id = "
    "$1";

}  // namespace

Result<void> PgStore::insert_webhook(const Webhook& webhook) {
  auto sealed = sealed_columns(*secrets_, webhook);
  if (!sealed) return std::unexpected(sealed.error());
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    PgTransaction tx(db);
    if (auto r = tx.begin(); !r) return r;
    std::vector<Param> params = {webhook.id, webhook.workspace_id, webhook.created_at};
    std::vector<Param> spec = spec_params(webhook, *sealed);
    params.insert(params.end(), spec.begin(), spec.end());
    params.insert(params.end(),
                  {sealed->secret, sealed->previous_secret, webhook.previous_secret_expires_at});
    auto inserted = db.query(
        "INSERT INTO webhooks (id, workspace_id, created_at, name, url, method, auth, headers, "
        "custom_payload, enabled, timeout_ms, updated_at, max_in_flight, rate_limit_per_second, "
        "filters, self_heal, ordering, secret, previous_secret, previous_secret_expires_at) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
        "$20)",
        params);
    if (!inserted) return std::unexpected(inserted.error());
    if (auto r = write_webhook_events(db, webhook); !r) return r;
    return tx.commit();
  });
}

Result<Webhook> PgStore::get_webhook(const std::string& workspace_id, const std::string& id) {
  return with_connection<Webhook>([&](PgConnection& db) -> Result<Webhook> {
    auto found = db.query("SELECT " + std::string(kWebhookColumns) +
                              " FROM webhooks WHERE workspace_id = $1 AND id = $2",
                          {workspace_id, id});
    if (!found) return std::unexpected(found.error());
    auto webhook = read_one<Webhook>(*found, WebhookReader{*secrets_});
    if (!webhook) return std::unexpected(webhook.error());
    if (!*webhook) return std::unexpected(Error::not_found("no webhook with id " + id));
    return std::move(**webhook);
  });
}

Result<Page<Webhook>> PgStore::list_webhooks(const std::string& workspace_id,
                                             const PageRequest& page) {
  return with_connection<Page<Webhook>>([&](PgConnection& db) -> Result<Page<Webhook>> {
    auto found =
        db.query("SELECT " + std::string(kWebhookColumns) +
                     " FROM webhooks WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                 {workspace_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<Webhook>(*found, page.limit, WebhookReader{*secrets_});
  });
}

Result<void> PgStore::update_webhook(const Webhook& webhook) {
  auto sealed = sealed_columns(*secrets_, webhook);
  if (!sealed) return std::unexpected(sealed.error());
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    PgTransaction tx(db);
    if (auto r = tx.begin(); !r) return r;
    std::vector<Param> params = spec_params(webhook, *sealed);
    params.insert(params.end(), {webhook.workspace_id, webhook.id});
    auto updated = db.query(
        "UPDATE webhooks SET name = $1, url = $2, method = $3, auth = $4, headers = $5, "
        "custom_payload = $6, enabled = $7, timeout_ms = $8, updated_at = $9, "
        "max_in_flight = $10, rate_limit_per_second = $11, filters = $12, self_heal = $13, "
        "ordering = $14 WHERE workspace_id = $15 AND id = $16",
        params);
    if (!updated) return std::unexpected(updated.error());
    if (updated->rows_affected() == 0) {
      return std::unexpected(Error::not_found("no webhook with id " + webhook.id));
    }
    if (webhook.spec.enabled) {
      // Enabled again by a user: why Hookline had disabled it no longer holds.
      auto cleared = db.query(
          "UPDATE webhooks SET disabled_reason = '', disabled_at = 0 WHERE id = $1 AND "
          "disabled_reason <> ''",
          {webhook.id});
      if (!cleared) return std::unexpected(cleared.error());
      // A user saved it enabled: a failing spell counts from its next failures, not from before,
      // and a later self-healing starts its probes afresh.
      auto healthy = db.query(kHealthAfresh, {webhook.id});
      if (!healthy) return std::unexpected(healthy.error());
    }
    if (auto r = write_webhook_events(db, webhook); !r) return r;
    return tx.commit();
  });
}

Result<Webhook> PgStore::rotate_webhook_secret(const std::string& workspace_id,
                                               const std::string& id, const std::string& new_secret,
                                               int64_t expires_at, int64_t now_ms) {
  auto sealed = sealed_value(*secrets_, id, new_secret);
  if (!sealed) return std::unexpected(sealed.error());
  return with_connection<Webhook>([&](PgConnection& db) -> Result<Webhook> {
    // The current secret moves to previous_secret still sealed: the row, its associated data, is
    // the same. RETURNING reads the webhook as this statement left it: no later change (or delete)
    // can come between the rotation and what the caller is told.
    auto rotated = db.query(
        "UPDATE webhooks SET previous_secret = secret, secret = $1, "
        "previous_secret_expires_at = $2, updated_at = $3 WHERE workspace_id = $4 AND id = $5 "
        "RETURNING " +
            std::string(kWebhookColumns),
        {*sealed, expires_at, now_ms, workspace_id, id});
    if (!rotated) return std::unexpected(rotated.error());
    auto webhook = read_one<Webhook>(*rotated, WebhookReader{*secrets_});
    if (!webhook) return std::unexpected(webhook.error());
    if (!*webhook) return std::unexpected(Error::not_found("no webhook with id " + id));
    return std::move(**webhook);
  });
}

Result<void> PgStore::delete_webhook(const std::string& workspace_id, const std::string& id) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    // Its subscription rows go with it (ON DELETE CASCADE).
    auto removed =
        db.query("DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2", {workspace_id, id});
    if (!removed) return std::unexpected(removed.error());
    if (removed->rows_affected() == 0) {
      return std::unexpected(Error::not_found("no webhook with id " + id));
    }
    return {};
  });
}

Result<bool> PgStore::disable_webhook(const std::string& workspace_id, const std::string& id,
                                      const std::string& reason, int64_t now_ms) {
  return with_connection<bool>([&](PgConnection& db) -> Result<bool> {
    auto disabled = db.query(
        "UPDATE webhooks SET enabled = false, disabled_reason = $1, disabled_at = $2, "
        "updated_at = $2 WHERE workspace_id = $3 AND id = $4 AND enabled",
        {reason, now_ms, workspace_id, id});
    if (!disabled) return std::unexpected(disabled.error());
    return disabled->rows_affected() > 0;
  });
}

Result<std::vector<ProbeDue>> PgStore::webhooks_to_probe(int64_t now_ms, int64_t first_probe_ms,
                                                         int limit) {
  return with_connection<std::vector<ProbeDue>>(
      [&](PgConnection& db) -> Result<std::vector<ProbeDue>> {
        auto found = db.query(
            "SELECT " + std::string(kWebhookColumns) +
                ", COALESCE(h.probes, 0), COALESCE(h.next_probe_at, 0) FROM webhooks LEFT JOIN "
                "webhook_health h ON h.webhook_id = webhooks.id WHERE NOT enabled AND "
                "disabled_reason <> '' AND self_heal AND (CASE WHEN COALESCE(h.next_probe_at, 0) "
                "= 0 THEN disabled_at + $1 ELSE h.next_probe_at END) <= $2 ORDER BY (CASE WHEN "
                "COALESCE(h.next_probe_at, 0) = 0 THEN disabled_at + $1 ELSE h.next_probe_at END) "
                "LIMIT $3",
            {first_probe_ms, now_ms, limit});
        if (!found) return std::unexpected(found.error());
        std::vector<ProbeDue> due;
        for (int row = 0; row < found->rows(); ++row) {
          auto webhook = read_webhook(*found, row, *secrets_);
          if (!webhook) return std::unexpected(webhook.error());
          due.push_back({std::move(*webhook),
                         static_cast<int>(found->integer(row, kWebhookColumnCount)),
                         found->integer(row, kWebhookColumnCount + 1)});
        }
        return due;
      });
}

Result<bool> PgStore::claim_probe(const ProbeDue& due, int64_t next_ms) {
  return with_connection<bool>([&](PgConnection& db) -> Result<bool> {
    auto claimed = db.query(
        "INSERT INTO webhook_health (webhook_id, probes, next_probe_at) VALUES ($1, 1, $2) ON "
        "CONFLICT (webhook_id) DO UPDATE SET probes = webhook_health.probes + 1, next_probe_at = "
        "excluded.next_probe_at WHERE webhook_health.next_probe_at = $3",
        {due.webhook.id, next_ms, due.next_probe_at});
    if (!claimed) return std::unexpected(claimed.error());
    return claimed->rows_affected() > 0;
  });
}

Result<bool> PgStore::heal_webhook(const std::string& workspace_id, const std::string& id,
                                   int64_t now_ms) {
  return with_connection<bool>([&](PgConnection& db) -> Result<bool> {
    PgTransaction tx(db);
    if (auto r = tx.begin(); !r) return std::unexpected(r.error());
    auto healed = db.query(
        "UPDATE webhooks SET enabled = true, disabled_reason = '', disabled_at = 0, healed_at = "
        "$1, updated_at = $1 WHERE workspace_id = $2 AND id = $3 AND NOT enabled AND "
        "disabled_reason <> '' AND self_heal",
        {now_ms, workspace_id, id});
    if (!healed) return std::unexpected(healed.error());
    if (healed->rows_affected() == 0) return false;  // the transaction rolls back: no change
    auto healthy = db.query(kHealthAfresh, {id});
    if (!healthy) return std::unexpected(healthy.error());
    if (auto r = tx.commit(); !r) return std::unexpected(r.error());
    return true;
  });
}

}  // namespace hookline::store::postgres
