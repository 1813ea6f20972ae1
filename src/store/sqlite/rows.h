#pragma once

#include <string_view>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/webhook.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store_types.h"

namespace hookline::store::sqlite {

// Column lists and the readers that go with them, shared by the read side and the writer.
// A reader takes a row selected with exactly its column list.
extern const std::string_view kWebhookColumns;    // FROM webhooks
extern const std::string_view kContactColumns;    // FROM contacts c
extern const std::string_view kDeliveryColumns;   // FROM deliveries d; the body is not among them
inline constexpr int kDeliveryColumnCount = 17;   // the first column after kDeliveryColumns
extern const std::string_view kJourneyColumns;    // FROM journeys j
extern const std::string_view kEnrolmentColumns;  // FROM enrolments e

// A delivery's body: these columns, with kBodyJoin after "FROM deliveries d", read by read_body
// from its first column on.
extern const std::string_view kBodyColumns;
extern const std::string_view kBodyJoin;
std::string read_body(const Statement& row, int first_column);

Webhook read_webhook(const Statement& row);
Contact read_contact(const Statement& row);
Delivery read_delivery(const Statement& row);
JourneyRow read_journey(const Statement& row);
Enrolment read_enrolment(const Statement& row);

}  // namespace hookline::store::sqlite
