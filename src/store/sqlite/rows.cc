#include "store/sqlite/rows.h"

#include "store/row_readers.h"

namespace hookline::store::sqlite {

namespace {

// A row of a stepped statement as store/row_readers.h reads it.
struct Row {
  const Statement& statement;
  std::string text(int column) const { return statement.text(column); }
  int64_t integer(int column) const { return statement.integer(column); }
  bool flag(int column) const { return statement.integer(column) != 0; }
  bool is_null(int column) const { return statement.is_null(column); }
  std::string bytes(int column) const { return statement.text(column); }  // a BLOB's bytes
};

}  // namespace

const std::string_view kWebhookColumns =
    "id, workspace_id, name, url, method, auth, headers, custom_payload, enabled, secret, "
    "timeout_ms, created_at, updated_at, (SELECT json_group_array(event) FROM (SELECT event FROM "
    "webhook_events e WHERE e.webhook_id = webhooks.id ORDER BY position)), max_in_flight, "
    "rate_limit_per_second, previous_secret, previous_secret_expires_at, filters, disabled_reason, "
    "disabled_at, self_heal, healed_at, ordering";

std::string read_body(const Statement& row, int first_column) {
  return rows::body(Row{row}, first_column);
}
Result<Webhook> read_webhook(const Statement& row, const SecretBox& box) {
  return rows::webhook(Row{row}, box);
}
Contact read_contact(const Statement& row) { return rows::contact(Row{row}); }
ApiKey read_api_key(const Statement& row) { return rows::api_key(Row{row}); }
Workspace read_workspace(const Statement& row) { return rows::workspace(Row{row}); }
AuditEntry read_audit_entry(const Statement& row) { return rows::audit_entry(Row{row}); }
Delivery read_delivery(const Statement& row) { return rows::delivery(Row{row}); }
JourneyRow read_journey(const Statement& row) { return rows::journey(Row{row}); }
Enrolment read_enrolment(const Statement& row) { return rows::enrolment(Row{row}); }
Attempt read_attempt(const Statement& row) { return rows::attempt(Row{row}); }
void add_timeline_event(const Statement& row, ContactActivity& activity) {
  rows::add_timeline_event(Row{row}, activity);
}
void add_timeline_delivery(const Statement& row, ContactActivity& activity) {
  rows::add_timeline_delivery(Row{row}, activity);
}

}  // namespace hookline::store::sqlite
