#pragma once

#include <string_view>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/webhook.h"
#include "store/sqlite/sqlite_db.h"

namespace hookline::store::sqlite {

// Column lists and the readers that go with them, shared by the read side and the writer.
// A reader takes a row selected with exactly its column list.
extern const std::string_view kWebhookColumns;   // FROM webhooks
extern const std::string_view kContactColumns;   // FROM contacts c
extern const std::string_view kDeliveryColumns;  // FROM deliveries d

Webhook read_webhook(const Statement& row);
Contact read_contact(const Statement& row);
Delivery read_delivery(const Statement& row);

}  // namespace hookline::store::sqlite
