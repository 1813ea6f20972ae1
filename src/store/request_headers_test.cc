#include "store/request_headers.h"

#include <gtest/gtest.h>

namespace hookline::store {
namespace {

constexpr std::string_view kId = "01a24588-45ca-78b6-a6f0-cab5425d5188";

TEST(RequestHeadersTest, TheDerivedHeadersAreLeftOutAndComeBackInPlace) {
  const std::string sent =
      R"({"Content-Type":"application/json","Authorization":"Basic ****","webhook-id":")" +
      std::string(kId) +
      R"(","webhook-timestamp":"1796462888","webhook-signature":"v1,abc= v1,def="})";
  const std::string stored = compact_request_headers(sent, kId, 1796462888'123);
  EXPECT_EQ(
      stored,
      R"({"Content-Type":"application/json","Authorization":"Basic ****","webhook-signature":"v1,abc= v1,def="})");
  EXPECT_EQ(expand_request_headers(stored, kId, 1796462888'123), sent);
}

TEST(RequestHeadersTest, TheyAreFirstWhenNoOtherHeaderWasSent) {
  const std::string sent = R"({"webhook-id":")" + std::string(kId) +
                           R"(","webhook-timestamp":"5","webhook-signature":"v1,x"})";
  const std::string stored = compact_request_headers(sent, kId, 5'000);
  EXPECT_EQ(stored, R"({"webhook-signature":"v1,x"})");
  EXPECT_EQ(expand_request_headers(stored, kId, 5'000), sent);
}

TEST(RequestHeadersTest, ValuesThatDoNotFollowFromTheAttemptAreKept) {
  const std::string other_time = R"({"webhook-id":")" + std::string(kId) +
                                 R"(","webhook-timestamp":"6","webhook-signature":"v1,x"})";
  EXPECT_EQ(compact_request_headers(other_time, kId, 5'000), other_time);
  const std::string other_id =
      R"({"webhook-id":"msg_1","webhook-timestamp":"5","webhook-signature":"v1,x"})";
  EXPECT_EQ(compact_request_headers(other_id, kId, 5'000), other_id);
  EXPECT_EQ(expand_request_headers(other_id, kId, 5'000), other_id);
}

TEST(RequestHeadersTest, UnsignedRequestsAreStoredAsTheyAre) {
  EXPECT_EQ(compact_request_headers("{}", kId, 5'000), "{}");
  EXPECT_EQ(expand_request_headers("{}", kId, 5'000), "{}");
  const std::string quoted = R"({"X-Note":"\"webhook-signature\":"})";
  EXPECT_EQ(expand_request_headers(quoted, kId, 5'000), quoted);
}

}  // namespace
}  // namespace hookline::store
