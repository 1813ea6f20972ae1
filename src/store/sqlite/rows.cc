#include "store/sqlite/rows.h"

#include <boost/json/parse.hpp>

#include "core/logger.h"
#include "core/webhook_codec.h"
#include "store/body_splice.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

const std::string_view kWebhookColumns =
    "id, workspace_id, name, url, method, auth, headers, custom_payload, enabled, secret, "
    "timeout_ms, created_at, updated_at, (SELECT json_group_array(event) FROM (SELECT event FROM "
    "webhook_events e WHERE e.webhook_id = webhooks.id ORDER BY position)), max_in_flight, "
    "rate_limit_per_second, previous_secret, previous_secret_expires_at";

const std::string_view kContactColumns =
    "c.id, c.workspace_id, c.email, c.first_name, c.last_name, c.mobile, c.properties, "
    "c.created_at, c.updated_at";

const std::string_view kDeliveryColumns =
    "d.seq, d.id, d.workspace_id, d.webhook_id, d.event_id, d.event_name, d.status, d.attempts, "
    "d.schedule_base, d.next_attempt_at, d.last_status, d.last_error, d.last_duration_ms, "
    "d.created_at, d.updated_at, d.lease_owner, d.lease_number";

const std::string_view kBodyColumns = "b.body, b.details_at, e.details";
const std::string_view kBodyJoin =
    "JOIN delivery_bodies b ON b.seq = d.seq LEFT JOIN events e ON e.seq = b.event_seq";

std::string read_body(const Statement& row, int first_column) {
  std::string stored = row.text(first_column);
  if (row.is_null(first_column + 1)) return stored;
  const auto at = static_cast<size_t>(row.integer(first_column + 1));
  if (row.is_null(first_column + 2) || at > stored.size()) {
    // Retention keeps an event while a body needs it, so this is a broken invariant. The delivery
    // still goes out, with JSON null where the details were, rather than stall the queue.
    module_logger("store")->error(
        "a delivery body's event is missing; its details are sent as null");
    return join(stored, std::min(at, stored.size()), "null");
  }
  return join(stored, at, row.text(first_column + 2));
}

const std::string_view kJourneyColumns =
    "j.id, j.workspace_id, j.name, j.status, j.reentry, j.graph, j.trigger_event, j.created_at, "
    "j.updated_at";

const std::string_view kEnrolmentColumns =
    "e.id, e.workspace_id, e.journey_id, e.contact_id, e.block_id, e.status, e.wake_at, e.event, "
    "e.depth, e.created_at, e.updated_at";

JourneyRow read_journey(const Statement& row) {
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
  return j;
}

Enrolment read_enrolment(const Statement& row) {
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
  return e;
}

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
  spec.max_in_flight = static_cast<int>(row.integer(14));
  spec.rate_limit_per_second = static_cast<int>(row.integer(15));
  webhook.previous_secret = row.text(16);
  webhook.previous_secret_expires_at = row.integer(17);
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
  return d;
}

}  // namespace hookline::store::sqlite
