#include "store/sqlite/rows.h"

#include <boost/json/parse.hpp>

#include "core/webhook_codec.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

const std::string_view kWebhookColumns =
    "id, workspace_id, name, url, method, auth, headers, custom_payload, enabled, secret, "
    "timeout_ms, created_at, updated_at, (SELECT json_group_array(event) FROM (SELECT event FROM "
    "webhook_events e WHERE e.webhook_id = webhooks.id ORDER BY position))";

const std::string_view kContactColumns =
    "c.id, c.workspace_id, c.email, c.first_name, c.last_name, c.mobile, c.properties, "
    "c.created_at, c.updated_at";

const std::string_view kDeliveryColumns =
    "d.id, d.workspace_id, d.webhook_id, d.event_id, d.event_name, d.body, d.status, d.attempts, "
    "d.schedule_base, d.next_attempt_at, d.last_status, d.last_error, d.last_duration_ms, "
    "d.created_at, d.updated_at";

Webhook read_webhook(const Statement& row) {
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
  spec.enabled = row.integer(8) != 0;
  webhook.secret = row.text(9);
  spec.timeout_ms = static_cast<int>(row.integer(10));
  webhook.created_at = row.integer(11);
  webhook.updated_at = row.integer(12);
  const json::value events = json::parse(row.text(13));
  for (const auto& event : events.as_array()) spec.events.emplace_back(event.as_string());
  return webhook;
}

Contact read_contact(const Statement& row) {
  Contact contact;
  contact.id = row.text(0);
  contact.workspace_id = row.text(1);
  contact.email = row.text(2);
  contact.first_name = row.text(3);
  contact.last_name = row.text(4);
  contact.mobile = row.text(5);
  contact.properties = json::parse(row.text(6)).as_object();
  contact.created_at = row.integer(7);
  contact.updated_at = row.integer(8);
  return contact;
}

Delivery read_delivery(const Statement& row) {
  Delivery d;
  d.id = row.text(0);
  d.workspace_id = row.text(1);
  d.webhook_id = row.text(2);
  d.event_id = row.text(3);
  d.event_name = row.text(4);
  d.body = row.text(5);
  d.status = parse_delivery_status(row.text(6)).value_or(DeliveryStatus::kPending);
  d.attempts = static_cast<int>(row.integer(7));
  d.schedule_base = static_cast<int>(row.integer(8));
  d.next_attempt_at = row.integer(9);
  if (!row.is_null(10)) d.last_status = static_cast<int>(row.integer(10));
  d.last_error = row.text(11);
  d.last_duration_ms = row.integer(12);
  d.created_at = row.integer(13);
  d.updated_at = row.integer(14);
  return d;
}

}  // namespace hookline::store::sqlite
