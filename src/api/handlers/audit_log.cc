// /v1/audit-log: the changes made through the API, newest first.
#include "api/handlers/routes.h"
#include "api/responses.h"
#include "core/json_depth.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

json::object entry_to_json(const store::AuditEntry& entry) {
  // Written by record_change from a JSON object: only a damaged row fails to read, and it says so
  // rather than making the whole page fail.
  boost::system::error_code ec;
  json::value changes = parse_stored_json(entry.changes, ec);
  if (ec || !changes.is_object()) {
    changes = json::object{{"error", "this entry's changes could not be read"}};
  }
  return {{"id", entry.id},
          {"time", entry.time},
          {"key_id", entry.key_id},
          {"key_name", entry.key_name},
          {"action", entry.action},
          {"resource_type", entry.resource_type},
          {"resource_id", entry.resource_id},
          {"changes", std::move(changes)}};
}

}  // namespace

void add_audit_routes(Router& router, Services& services) {
  router.add(
      "GET", "/v1/audit-log",
      [&services](ApiRequest& request) {
        auto page = page_request(request);
        if (!page) return error_response(page.error());
        const store::AuditFilter filter{.action = request.query_value("action"),
                                        .resource_type = request.query_value("resource_type"),
                                        .resource_id = request.query_value("resource_id"),
                                        .key_id = request.query_value("key_id")};
        return respond_with(services.store.list_audit(request.workspace_id, filter, *page),
                            [](auto& found) { return page_response(found, entry_to_json); });
      },
      Access::kAdmin);
}

}  // namespace hookline::api
