#include "store/postgres/pg_rows.h"

#include "store/row_readers.h"

namespace hookline::store::postgres {

namespace {

// A row of a result as store/row_readers.h reads it.
struct Row {
  const PgResult& result;
  int row;
  std::string text(int column) const { return result.text(row, column); }
  int64_t integer(int column) const { return result.integer(row, column); }
  bool flag(int column) const { return result.boolean(row, column); }
  bool is_null(int column) const { return result.is_null(row, column); }
  std::string bytes(int column) const { return result.bytes(row, column); }  // bytea
};

}  // namespace

const std::string_view kWebhookColumns =
    "id, workspace_id, name, url, method, auth, headers, custom_payload, enabled, secret, "
    "timeout_ms, created_at, updated_at, (SELECT COALESCE(json_agg(e.event ORDER BY e.position), "
    "'[]')::text FROM webhook_events e WHERE e.webhook_id = webhooks.id), max_in_flight, "
    "rate_limit_per_second, previous_secret, previous_secret_expires_at, filters, disabled_reason, "
    "disabled_at, self_heal, healed_at, ordering";

std::string read_body(const PgResult& result, int row, int first_column) {
  return rows::body(Row{result, row}, first_column);
}
Result<Webhook> read_webhook(const PgResult& result, int row, const SecretBox& box) {
  return rows::webhook(Row{result, row}, box);
}
Contact read_contact(const PgResult& result, int row) { return rows::contact(Row{result, row}); }
ApiKey read_api_key(const PgResult& result, int row) { return rows::api_key(Row{result, row}); }
Workspace read_workspace(const PgResult& result, int row) {
  return rows::workspace(Row{result, row});
}
AuditEntry read_audit_entry(const PgResult& result, int row) {
  return rows::audit_entry(Row{result, row});
}

namespace {
constexpr int kContactColumnCount = 9;  // kContactColumns'; the version comes next
}  // namespace

const std::string kStoredContactColumns = std::string(kContactColumns) + ", c.xmin::text";

StoredContact read_stored_contact(const PgResult& result, int row) {
  return {read_contact(result, row), result.text(row, kContactColumnCount)};
}
Delivery read_delivery(const PgResult& result, int row) { return rows::delivery(Row{result, row}); }
JourneyRow read_journey(const PgResult& result, int row) { return rows::journey(Row{result, row}); }
AttemptCounts read_attempt_counts(const PgResult& result, int row, int first_column) {
  return rows::attempt_counts(Row{result, row}, first_column);
}
Attempt read_attempt(const PgResult& result, int row) { return rows::attempt(Row{result, row}); }
void add_timeline_event(const PgResult& result, int row, ContactActivity& activity) {
  rows::add_timeline_event(Row{result, row}, activity);
}
void add_timeline_delivery(const PgResult& result, int row, ContactActivity& activity) {
  rows::add_timeline_delivery(Row{result, row}, activity);
}
Enrolment read_enrolment(const PgResult& result, int row) {
  return rows::enrolment(Row{result, row});
}

}  // namespace hookline::store::postgres
