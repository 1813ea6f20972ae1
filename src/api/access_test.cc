#include "api/access.h"

#include <gtest/gtest.h>

namespace hookline::api {
namespace {

Caller key(KeyScope scope, bool instance = false) {
  return {.id = "id",
          .workspace_id = "workspace",
          .name = "name",
          .scope = scope,
          .instance = instance,
          .prefix = {},
          .created_at = 0,
          .expires_at = {},
          .last_used_at = {},
          .revoked_at = {}};
}

bool allowed(const Caller& caller, Access access, std::string_view method) {
  return check_access(caller, access, method).has_value();
}

TEST(AccessTest, EachScopeAllowsWhatItSays) {
  const std::string_view kMethods[] = {"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"};
  for (std::string_view method : kMethods) {
    const bool reads = method == "GET" || method == "HEAD";
    SCOPED_TRACE(std::string(method));
    EXPECT_TRUE(allowed(key(KeyScope::kAdmin), Access::kManage, method));
    EXPECT_TRUE(allowed(key(KeyScope::kAdmin), Access::kAdmin, method));
    EXPECT_TRUE(allowed(key(KeyScope::kWrite), Access::kManage, method));
    EXPECT_FALSE(allowed(key(KeyScope::kWrite), Access::kAdmin, method));
    EXPECT_EQ(allowed(key(KeyScope::kRead), Access::kManage, method), reads);
    EXPECT_FALSE(allowed(key(KeyScope::kRead), Access::kAdmin, method));
    EXPECT_FALSE(allowed(key(KeyScope::kIngest), Access::kManage, method));
    EXPECT_FALSE(allowed(key(KeyScope::kIngest), Access::kAdmin, method));
    for (KeyScope scope :
         {KeyScope::kAdmin, KeyScope::kWrite, KeyScope::kIngest, KeyScope::kRead}) {
      EXPECT_TRUE(allowed(key(scope), Access::kSelf, method));
      EXPECT_FALSE(allowed(key(scope), Access::kInstance, method));
    }
  }
  EXPECT_TRUE(allowed(key(KeyScope::kIngest), Access::kIngest, "POST"));
  EXPECT_TRUE(allowed(key(KeyScope::kWrite), Access::kIngest, "POST"));
  EXPECT_FALSE(allowed(key(KeyScope::kRead), Access::kIngest, "POST"));
  EXPECT_TRUE(allowed(key(KeyScope::kAdmin, true), Access::kInstance, "POST"));
}

TEST(AccessTest, ARefusalIsForbiddenScopeAndSaysWhatTheKeyMayDo) {
  auto refused = check_access(key(KeyScope::kRead), Access::kManage, "DELETE");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbiddenScope);
  EXPECT_NE(refused.error().message.find("scope is read"), std::string::npos);
  auto workspaces = check_access(key(KeyScope::kAdmin), Access::kInstance, "GET");
  ASSERT_FALSE(workspaces.has_value());
  EXPECT_NE(workspaces.error().message.find("instance key"), std::string::npos);
}

TEST(AccessTest, OnlyIngestIsExemptFromTheRateLimit) {
  EXPECT_FALSE(rate_limited(Access::kIngest));
  for (Access access : {Access::kManage, Access::kAdmin, Access::kInstance, Access::kSelf}) {
    EXPECT_TRUE(rate_limited(access));
  }
}

TEST(AccessTest, ScopesReadBackByName) {
  for (KeyScope scope : {KeyScope::kAdmin, KeyScope::kWrite, KeyScope::kIngest, KeyScope::kRead}) {
    EXPECT_EQ(parse_key_scope(key_scope_name(scope)), scope);
  }
  EXPECT_FALSE(parse_key_scope("owner").has_value());
  EXPECT_FALSE(parse_key_scope("ADMIN").has_value());
}

}  // namespace
}  // namespace hookline::api
