#pragma once

#include <string_view>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/webhook.h"
#include "store/row_readers.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store_types.h"

namespace hookline::store::sqlite {

// Column lists and the readers that go with them, shared by the read side and the writer.
// A reader takes a row selected with exactly its column list.
extern const std::string_view kWebhookColumns;  // FROM webhooks
inline constexpr int kWebhookColumnCount = 24;  // in kWebhookColumns
using rows::kActiveVersionsWithGoalSql;
using rows::kAllVersions;
using rows::kApiKeyColumns;
using rows::kAttemptColumns;
using rows::kAuditColumns;
using rows::kBodyColumns;
using rows::kBodyJoin;
using rows::kContactColumns;
using rows::kDeliveryAnswerSql;
using rows::kDeliveryColumnCount;
using rows::kDeliveryColumns;
using rows::kEnrolmentColumns;
using rows::kHeadlessChainsSql;
using rows::kInsertJourneyVersionSql;
using rows::kJourneyColumns;
using rows::kJourneyPathCountsSql;
using rows::kJourneyVersionColumns;
using rows::kJourneyVersionFrom;
using rows::kJourneyVersionsSql;
using rows::kJourneyWaitingSql;
using rows::kLiveVersionSql;
using rows::kNoteLastAttemptSql;
using rows::kOrderKeyBusySql;
using rows::kReleaseChainHeadsSql;
using rows::kReleaseNextInOrderSql;
using rows::kReplaceJourneyVersionSql;
using rows::kRequeuedStatusSql;
using rows::kUpdateJourneySql;

// A delivery's body, read from the kBodyColumns from `first_column` on.
std::string read_body(const Statement& row, int first_column);

// A webhook with its secrets opened by `box`.
Result<Webhook> read_webhook(const Statement& row, const SecretBox& box);
// read_webhook as read_all, read_one and read_page (read_rows.h) take a reader.
struct WebhookReader {
  const SecretBox& box;
  Result<Webhook> operator()(const Statement& row) const { return read_webhook(row, box); }
};
Contact read_contact(const Statement& row);
ApiKey read_api_key(const Statement& row);          // kApiKeyColumns
Workspace read_workspace(const Statement& row);     // id, name, created_at
AuditEntry read_audit_entry(const Statement& row);  // kAuditColumns
Delivery read_delivery(const Statement& row);
JourneyRow read_journey(const Statement& row);
Enrolment read_enrolment(const Statement& row);
Attempt read_attempt(const Statement& row);  // kAttemptColumns
// A row of rows::kTimelineEventsSql or rows::kTimelineDeliveriesSql, added to what a read found.
void add_timeline_event(const Statement& row, ContactActivity& activity);
void add_timeline_delivery(const Statement& row, ContactActivity& activity);

}  // namespace hookline::store::sqlite
