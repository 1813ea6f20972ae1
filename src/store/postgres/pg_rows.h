#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/webhook.h"
#include "store/postgres/pg_connection.h"
#include "store/row_readers.h"
#include "store/store_types.h"

namespace hookline::store::postgres {

// Column lists and the readers that go with them, shared by the read side and the writer: the
// same lists, in the same order, as the SQLite store's (store/sqlite/rows.h), so both read alike.
// A reader takes one row of a result selected with exactly its column list, from column 0.
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
std::string read_body(const PgResult& result, int row, int first_column);

// A webhook with its secrets opened by `box`.
Result<Webhook> read_webhook(const PgResult& result, int row, const SecretBox& box);
// read_webhook as the Result-taking read_all, read_one and read_page below take a reader.
struct WebhookReader {
  const SecretBox& box;
  Result<Webhook> operator()(const PgResult& result, int row) const {
    return read_webhook(result, row, box);
  }
};
Contact read_contact(const PgResult& result, int row);
ApiKey read_api_key(const PgResult& result, int row);          // kApiKeyColumns
Workspace read_workspace(const PgResult& result, int row);     // id, name, created_at
AuditEntry read_audit_entry(const PgResult& result, int row);  // kAuditColumns

// A contact as read for a change: with its row version (xmin), so that the write can tell
// whether another node changed the row meanwhile. Selected with kStoredContactColumns.
struct StoredContact {
  Contact contact;
  std::string version;
};
extern const std::string kStoredContactColumns;  // FROM contacts c
StoredContact read_stored_contact(const PgResult& result, int row);
Delivery read_delivery(const PgResult& result, int row);
JourneyRow read_journey(const PgResult& result, int row);
// The sums of delivery statistics (rows::attempt_counts), from `first_column` on.
AttemptCounts read_attempt_counts(const PgResult& result, int row, int first_column);
Enrolment read_enrolment(const PgResult& result, int row);
Attempt read_attempt(const PgResult& result, int row);  // kAttemptColumns
// A row of rows::kTimelineEventsSql or rows::kTimelineDeliveriesSql, added to what a read found.
void add_timeline_event(const PgResult& result, int row, ContactActivity& activity);
void add_timeline_delivery(const PgResult& result, int row, ContactActivity& activity);

// Every row of a result, each through `read_row(result, row)`.
template <typename T, typename ReadRow>
std::vector<T> read_all(const PgResult& result, ReadRow read_row) {
  std::vector<T> all;
  all.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) all.push_back(read_row(result, row));
  return all;
}

// The first row of a result, if there is one.
template <typename T, typename ReadRow>
std::optional<T> read_one(const PgResult& result, ReadRow read_row) {
  if (result.rows() == 0) return std::nullopt;
  return read_row(result, 0);
}

// A page from a query that asked for limit + 1 rows in id order: the extra row only says that
// another page follows.
template <typename T, typename ReadRow>
Page<T> read_page(const PgResult& result, int limit, ReadRow read_row) {
  Page<T> page;
  for (int row = 0; row < result.rows(); ++row) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(read_row(result, row));
  }
  return page;
}

// The same, for a reader that may fail on a row (WebhookReader): the first failure is the answer.
template <typename T, typename ReadRow>
requires std::same_as<std::invoke_result_t<ReadRow, const PgResult&, int>, Result<T>>
    Result<std::vector<T>> read_all(const PgResult& result, ReadRow read_row) {
  std::vector<T> all;
  all.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    auto value = read_row(result, row);
    if (!value) return std::unexpected(value.error());
    all.push_back(std::move(*value));
  }
  return all;
}
template <typename T, typename ReadRow>
requires std::same_as<std::invoke_result_t<ReadRow, const PgResult&, int>, Result<T>>
    Result<std::optional<T>> read_one(const PgResult& result, ReadRow read_row) {
  if (result.rows() == 0) return std::optional<T>();
  auto value = read_row(result, 0);
  if (!value) return std::unexpected(value.error());
  return std::optional<T>(std::move(*value));
}
template <typename T, typename ReadRow>
requires std::same_as<std::invoke_result_t<ReadRow, const PgResult&, int>, Result<T>>
    Result<Page<T>> read_page(const PgResult& result, int limit, ReadRow read_row) {
  Page<T> page;
  for (int row = 0; row < result.rows(); ++row) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    auto value = read_row(result, row);
    if (!value) return std::unexpected(value.error());
    page.items.push_back(std::move(*value));
  }
  return page;
}

}  // namespace hookline::store::postgres
