#include "api/auth.h"

#include <mutex>

#include "core/header_rules.h"
#include "core/ids.h"

namespace hookline::api {

Result<std::string> ApiKeys::authenticate(const std::string& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !iequals(std::string_view(authorization).substr(0, kScheme.size()), kScheme)) {
    return std::unexpected(Error{ErrorCode::kUnauthorized,
                                 "send an API key as Authorization: Bearer <key>",
                                 "Authorization"});
  }
  const std::string hash = sha256_hex(authorization.substr(kScheme.size()));
  const auto now = std::chrono::steady_clock::now();
  {
    std::shared_lock lock(mutex_);
    if (auto it = known_.find(hash); it != known_.end() && now < it->second.until) {
      return it->second.workspace_id;
    }
  }
  auto workspace = store_.workspace_for_key(hash);
  if (!workspace) return std::unexpected(workspace.error());
  if (!workspace->has_value()) {
    return std::unexpected(
        Error{ErrorCode::kUnauthorized, "the API key is not valid", "Authorization"});
  }
  std::unique_lock lock(mutex_);
  known_.insert_or_assign(hash, Known{**workspace, now + kRememberFor});
  return std::move(**workspace);
}

void ApiKeys::forget(const std::string& key_hash) {
  std::unique_lock lock(mutex_);
  known_.erase(key_hash);
}

}  // namespace hookline::api
