#include "ingest/fan_out.h"

#include "core/ids.h"
#include "delivery/payload.h"

namespace hookline::ingest {

Result<bool> record_event(store::WriteTxn& txn, const std::string& workspace_id, const Event& event,
                          const Contact& contact, int64_t now_ms, int64_t lease_ms,
                          std::vector<Delivery>& out) {
  auto inserted = txn.insert_event(workspace_id, event, contact.id, now_ms);
  if (!inserted) return std::unexpected(inserted.error());
  if (!*inserted) return false;

  auto webhooks = txn.subscribed_webhooks(workspace_id, event.name);
  if (!webhooks) return std::unexpected(webhooks.error());
  if (webhooks->empty()) return true;

  const boost::json::object contact_payload = delivery::contact_to_payload(contact);
  for (const Webhook& webhook : *webhooks) {
    // Missing values render empty; the Test button is where a user sees the warnings.
    templates::Warnings warnings;
    const auto context =
        delivery::template_context(event, contact_payload, webhook.spec.name, std::nullopt);
    Delivery delivery;
    delivery.id = new_uuid_v7(now_ms);
    delivery.workspace_id = workspace_id;
    delivery.webhook_id = webhook.id;
    delivery.event_id = event.id;
    delivery.event_name = event.name;
    delivery.body = delivery::build_body(event, contact_payload, webhook.spec.custom_payload,
                                         std::nullopt, context, warnings);
    delivery.next_attempt_at = now_ms + lease_ms;
    delivery.created_at = delivery.updated_at = now_ms;
    if (auto r = txn.insert_delivery(delivery, /*leased=*/true); !r) {
      return std::unexpected(r.error());
    }
    out.push_back(std::move(delivery));
  }
  return true;
}

}  // namespace hookline::ingest
