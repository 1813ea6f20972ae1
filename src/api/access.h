#pragma once

#include <string>
#include <string_view>

#include "core/api_key.h"
#include "core/error.h"

namespace hookline::api {

// The key a request came with, once authenticated (neither revoked nor expired).
using Caller = ApiKey;

// Which keys a route takes. A route says what it touches; the key's scope decides (check_access).
enum class Access {
  // The workspace's resources: a GET for every scope but ingest, a change for write and admin.
  kManage,
  // Reporting events: ingest, write and admin. Not rate limited: an app server's events are the
  // product's load, not someone clicking through the API.
  kIngest,
  // Admin only, reading included: the workspace's API keys and its audit log (a key list, or a
  // log naming every key and what it did, is a map of who can do what).
  kAdmin,
  // Workspaces, and keys in any of them: instance keys only.
  kInstance,
  // The calling key itself (who am I): every key.
  kSelf,
};

// Nothing when `caller` may make a `method` request to a route of `access`; else a
// forbidden_scope error that says what the key's scope allows.
Result<void> check_access(const Caller& caller, Access access, std::string_view method);

inline bool rate_limited(Access access) { return access != Access::kIngest; }

}  // namespace hookline::api
