#include "core/header_rules.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(HeaderRulesTest, HeaderNamesAreTokens) {
  EXPECT_TRUE(is_header_name("X-Shop"));
  EXPECT_TRUE(is_header_name("x_api.key~1"));
  EXPECT_FALSE(is_header_name(""));
  EXPECT_FALSE(is_header_name("X Shop"));
  EXPECT_FALSE(is_header_name("X-Shop:"));
  EXPECT_FALSE(is_header_name("Salário"));
}

TEST(HeaderRulesTest, FramingAndSignatureHeadersAreReservedInAnyCase) {
  for (const char* name : {"Host", "content-length", "Transfer-Encoding", "WEBHOOK-SIGNATURE",
                           "webhook-id", "Webhook-Timestamp", "Connection"}) {
    EXPECT_TRUE(is_reserved_header(name)) << name;
  }
  EXPECT_FALSE(is_reserved_header("Authorization"));
  EXPECT_FALSE(is_reserved_header("X-Webhook-Id"));
}

TEST(HeaderRulesTest, CredentialHeadersAreRecognised) {
  for (const char* name : {"Authorization", "X-Api-Key", "x-auth-token", "Cookie", "X-Secret",
                           "Proxy-Authorization", "X-Hub-Signature", "X-Password", "X-Auth"}) {
    EXPECT_TRUE(is_credential_header(name)) << name;
  }
  for (const char* name : {"X-Shop", "Content-Type", "webhook-signature", "X-Request-Id"}) {
    EXPECT_FALSE(is_credential_header(name)) << name;
  }
}

TEST(HeaderRulesTest, LineBreaksAreFound) {
  EXPECT_TRUE(has_line_break("a\r\nX-Evil: 1"));
  EXPECT_TRUE(has_line_break("a\nb"));
  EXPECT_TRUE(has_line_break(std::string_view("a\0b", 3)));
  EXPECT_FALSE(has_line_break("loja-1 {{contact.id}}"));
}

TEST(HeaderRulesTest, EventNames) {
  EXPECT_TRUE(is_event_name("list.add_contact"));
  EXPECT_TRUE(is_event_name("order_paid"));
  EXPECT_TRUE(is_event_name("a.b.c9"));
  EXPECT_FALSE(is_event_name("List.add"));
  EXPECT_FALSE(is_event_name("a..b"));
  EXPECT_FALSE(is_event_name(".a"));
  EXPECT_FALSE(is_event_name("a."));
  EXPECT_FALSE(is_event_name("a-b"));
  EXPECT_FALSE(is_event_name(""));
}

}  // namespace
}  // namespace hookline
