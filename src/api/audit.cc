#include "api/audit.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/logger.h"

namespace hookline::api {
namespace json = boost::json;

Actor actor_of(const ApiRequest& request) {
  return {request.caller, request.workspace_id, request.request_id};
}

void record_change(Services& services, const Actor& actor, Change change) {
  const int64_t now_ms = services.clock.now_ms();
  store::AuditEntry entry{.id = new_uuid_v7(now_ms),
                          .workspace_id = change.workspace_id.empty()
                                              ? actor.workspace_id
                                              : std::move(change.workspace_id),
                          .time = now_ms,
                          .key_id = actor.caller.id,
                          .key_name = actor.caller.name,
                          .action = std::string(change.action),
                          .resource_type = std::string(change.resource_type),
                          .resource_id = std::move(change.resource_id),
                          .changes = json::serialize(change.changes)};
  if (auto appended = services.store.append_audit(entry); !appended) {
    module_logger("api")->error("cannot record {} {} {} in the audit log (request {}): {}",
                                entry.action, entry.resource_type, entry.resource_id,
                                actor.request_id, appended.error().message);
  }
}

json::object changed_fields(const json::object& before, const json::object& after) {
  json::object changes;
  for (const auto& field : after) {
    const json::value* old = before.if_contains(field.key());
    if (old != nullptr && *old == field.value()) continue;
    changes[field.key()] = {{"from", old != nullptr ? *old : json::value(nullptr)},
                            {"to", field.value()}};
  }
  for (const auto& field : before) {
    if (!after.contains(field.key())) {
      changes[field.key()] = {{"from", field.value()}, {"to", nullptr}};
    }
  }
  return changes;
}

}  // namespace hookline::api
