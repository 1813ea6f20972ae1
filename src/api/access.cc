#include "api/access.h"

namespace hookline::api {
namespace {

bool reads(std::string_view method) { return method == "GET" || method == "HEAD"; }

bool allows(const Caller& caller, Access access, std::string_view method) {
  switch (access) {
    case Access::kSelf:
      return true;
    case Access::kInstance:
      return caller.instance;
    case Access::kAdmin:
      return caller.scope == KeyScope::kAdmin;
    case Access::kIngest:
      return caller.scope != KeyScope::kRead;
    case Access::kManage:
      switch (caller.scope) {
        case KeyScope::kAdmin:
        case KeyScope::kWrite:
          return true;
        case KeyScope::kRead:
          return reads(method);
        case KeyScope::kIngest:
          return false;
      }
  }
  return false;
}

std::string_view what_scope_allows(const Caller& caller) {
  switch (caller.scope) {
    case KeyScope::kAdmin:
      return "everything in its workspace but managing workspaces";
    case KeyScope::kWrite:
      return "everything in its workspace but API keys";
    case KeyScope::kIngest:
      return "only reporting events (POST /v1/events and /v1/events/batch)";
    case KeyScope::kRead:
      return "only reading (GET)";
  }
  return "";
}

}  // namespace

Result<void> check_access(const Caller& caller, Access access, std::string_view method) {
  if (allows(caller, access, method)) return {};
  std::string message = "this API key's scope is " + std::string(key_scope_name(caller.scope)) +
                        ", which allows " + std::string(what_scope_allows(caller));
  if (access == Access::kInstance) {
    message = "only an instance key manages workspaces; " + message;
  }
  return std::unexpected(Error{ErrorCode::kForbiddenScope, std::move(message), {}});
}

}  // namespace hookline::api
