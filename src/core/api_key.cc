#include "core/api_key.h"

#include <array>
#include <utility>

#include "core/ids.h"

namespace hookline {
namespace {

constexpr std::array<std::pair<KeyScope, std::string_view>, 4> kScopeNames{{
    {KeyScope::kAdmin, "admin"},
    {KeyScope::kWrite, "write"},
    {KeyScope::kIngest, "ingest"},
    {KeyScope::kRead, "read"},
}};

}  // namespace

std::string_view key_scope_name(KeyScope scope) {
  for (const auto& [value, name] : kScopeNames) {
    if (value == scope) return name;
  }
  return "read";  // unreachable: every scope is named above
}

std::optional<KeyScope> parse_key_scope(std::string_view name) {
  for (const auto& [value, known] : kScopeNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string new_api_key_text() { return "hk_" + random_token(24); }

ApiKey new_api_key(std::string_view text, std::string workspace_id, std::string name,
                   KeyScope scope, bool instance, int64_t now_ms,
                   std::optional<int64_t> expires_at) {
  return {.id = new_uuid_v7(now_ms),
          .workspace_id = std::move(workspace_id),
          .name = std::move(name),
          .scope = scope,
          .instance = instance,
          .prefix = text.size() >= kMinKeySizeForPrefix
                        ? std::string(text.substr(0, kApiKeyPrefixSize))
                        : std::string(),
          .created_at = now_ms,
          .expires_at = expires_at,
          .last_used_at = std::nullopt,
          .revoked_at = std::nullopt};
}

}  // namespace hookline
