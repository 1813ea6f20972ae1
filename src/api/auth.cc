#include "api/auth.h"

#include "core/header_rules.h"
#include "core/ids.h"

namespace hookline::api {

Result<std::string> authenticate_bearer(store::Store& store, const std::string& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !iequals(std::string_view(authorization).substr(0, kScheme.size()), kScheme)) {
    return std::unexpected(Error{ErrorCode::kUnauthorized,
                                 "send an API key as Authorization: Bearer <key>",
                                 "Authorization"});
  }
  auto workspace = store.workspace_for_key(sha256_hex(authorization.substr(kScheme.size())));
  if (!workspace) return std::unexpected(workspace.error());
  if (!workspace->has_value()) {
    return std::unexpected(
        Error{ErrorCode::kUnauthorized, "the API key is not valid", "Authorization"});
  }
  return std::move(**workspace);
}

}  // namespace hookline::api
