#include "store/postgres/pg_cluster_news.h"

#include <gtest/gtest.h>

namespace hookline::store::postgres {
namespace {

TEST(PgClusterNewsTest, AnOpeningAndAClosingReadBackAsSent) {
  const BreakerNews opened{.node_id = "node-a",
                           .webhook_id = "wh_1",
                           .open = true,
                           .open_until_ms = 1'700'000'005'000,
                           .interval_ms = 10'000,
                           .consecutive_failures = 6};
  EXPECT_EQ(decode_breaker_news(encode_breaker_news(opened)), opened);
  const BreakerNews closed{.node_id = "node-\"b\"", .webhook_id = "wh_2"};
  EXPECT_EQ(decode_breaker_news(encode_breaker_news(closed)), closed);
}

TEST(PgClusterNewsTest, WhatIsNotABreakersNewsIsRefused) {
  for (const char* payload :
       {"", "webhook:wh_1", "[]", R"({"node":"a","webhook":"w"})",
        R"({"node":"a","webhook":"w","open":true})", R"({"node":1,"webhook":"w","open":false})",
        R"({"node":"a","webhook":"w","open":true,"open_until":"soon",)"
        R"("interval":1,"failures":1})"}) {
    EXPECT_FALSE(decode_breaker_news(payload).has_value()) << payload;
  }
}

}  // namespace
}  // namespace hookline::store::postgres
