#include "api/json/key_json.h"

#include "api/json/body_reader.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

json::value optional_time(const std::optional<int64_t>& time) {
  return time ? json::value(*time) : json::value(nullptr);
}

}  // namespace

Result<NewKey> read_new_key(const json::object& body, int64_t now_ms) {
  FieldReader fields(body);
  auto name = fields.required_string("name", 200);
  if (!name) return std::unexpected(name.error());
  auto scope_name = fields.required_string("scope", 20);
  if (!scope_name) return std::unexpected(scope_name.error());
  const std::optional<KeyScope> scope = parse_key_scope(*scope_name);
  if (!scope) {
    return std::unexpected(
        Error::validation("scope", "scope must be one of admin, write, ingest, read"));
  }
  auto expires_at = fields.optional_int("expires_at");
  if (!expires_at) return std::unexpected(expires_at.error());
  if (*expires_at && **expires_at <= now_ms) {
    return std::unexpected(Error::validation(
        "expires_at", "expires_at must be a time in the future, in Unix milliseconds"));
  }
  return NewKey{std::move(*name), *scope, *expires_at};
}

json::object key_to_json(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"scope", key_scope_name(key.scope)},
          {"instance", key.instance},
          {"prefix", key.prefix},
          {"workspace_id", key.workspace_id},
          {"created_at", key.created_at},
          {"expires_at", optional_time(key.expires_at)},
          {"last_used_at", optional_time(key.last_used_at)}};
}

json::object workspace_to_json(const Workspace& workspace) {
  return {{"id", workspace.id}, {"name", workspace.name}, {"created_at", workspace.created_at}};
}

}  // namespace hookline::api
