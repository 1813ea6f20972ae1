#include "delivery/rate_limiter.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hookline::delivery {
namespace {

constexpr int64_t kNow = 1700000000000;

// Takes every token there is at `now_ms`.
int drain(RateLimiter& limiter, int64_t now_ms) {
  int taken = 0;
  while (limiter.take(now_ms)) ++taken;
  return taken;
}

TEST(RateLimiterTest, StartsFullWithABurstOfOneSecondsWorth) {
  RateLimiter limiter(20, kNow);
  EXPECT_TRUE(limiter.full(kNow));
  EXPECT_EQ(drain(limiter, kNow), 20);
  EXPECT_FALSE(limiter.full(kNow));
  EXPECT_FALSE(limiter.take(kNow));
}

TEST(RateLimiterTest, RefillsOneTokenEachOneOverRateSeconds) {
  RateLimiter limiter(20, kNow);
  drain(limiter, kNow);
  EXPECT_EQ(limiter.next_allowed_at(kNow), kNow + 50);
  EXPECT_FALSE(limiter.take(kNow + 49));
  EXPECT_EQ(limiter.next_allowed_at(kNow + 49), kNow + 50);
  EXPECT_TRUE(limiter.take(kNow + 50));
  EXPECT_FALSE(limiter.take(kNow + 50));
  EXPECT_EQ(limiter.next_allowed_at(kNow + 50), kNow + 100);
  EXPECT_EQ(drain(limiter, kNow + 250), 4);
}

TEST(RateLimiterTest, NextAllowedAtIsNowWhileATokenIsThere) {
  RateLimiter limiter(3, kNow);
  EXPECT_EQ(limiter.next_allowed_at(kNow), kNow);
  drain(limiter, kNow);
  EXPECT_EQ(limiter.next_allowed_at(kNow), kNow + 334);  // 1000 / 3, rounded up
  EXPECT_FALSE(limiter.take(kNow + 333));
  EXPECT_TRUE(limiter.take(kNow + 334));
}

TEST(RateLimiterTest, AFailedTakeTakesNothing) {
  RateLimiter limiter(10, kNow);
  drain(limiter, kNow);
  for (int ms = 0; ms < 100; ms += 10) EXPECT_FALSE(limiter.take(kNow + ms));
  EXPECT_TRUE(limiter.take(kNow + 100));
}

TEST(RateLimiterTest, LongIdleRefillsOnlyUpToTheBurst) {
  RateLimiter limiter(20, kNow);
  drain(limiter, kNow);
  EXPECT_TRUE(limiter.full(kNow + 1000));
  EXPECT_EQ(drain(limiter, kNow + 86400000), 20);
  EXPECT_EQ(drain(limiter, kNow + (int64_t{1} << 40)), 20);  // no overflow
}

TEST(RateLimiterTest, RateOfOneHasABurstOfOne) {
  RateLimiter limiter(1, kNow);
  EXPECT_EQ(drain(limiter, kNow), 1);
  EXPECT_EQ(limiter.next_allowed_at(kNow), kNow + 1000);
  EXPECT_EQ(drain(limiter, kNow + 5000), 1);
}

TEST(RateLimiterTest, HighRatesRefillSeveralTokensAMillisecond) {
  RateLimiter limiter(10000, kNow);
  EXPECT_EQ(drain(limiter, kNow), 10000);
  EXPECT_EQ(drain(limiter, kNow + 1), 10);
  EXPECT_EQ(drain(limiter, kNow + 3), 20);
}

// Whatever the pattern of asks, over any span from the start at most burst + rate * t tries go,
// and a caller asking every millisecond gets exactly that: no drift over a long run.
TEST(RateLimiterTest, HoldsTheRateExactlyOverALongRun) {
  for (const int rate : {1, 7, 20, 333, 1000, 2500}) {
    RateLimiter limiter(rate, kNow);
    int64_t taken = 0;
    for (int64_t ms = 0; ms <= 60000; ++ms) {
      while (limiter.take(kNow + ms)) ++taken;
      ASSERT_LE(taken, rate + rate * ms / 1000) << rate << " at " << ms;
    }
    EXPECT_EQ(taken, rate + rate * 60) << rate;
  }
}

TEST(RateLimiterTest, WakingAtNextAllowedAtAlwaysFindsAToken) {
  RateLimiter limiter(7, kNow);
  int64_t now = kNow;
  drain(limiter, now);
  for (int i = 0; i < 100; ++i) {
    now = limiter.next_allowed_at(now);
    ASSERT_TRUE(limiter.take(now)) << i;
  }
  EXPECT_LE(now - kNow, 100 * 1000 / 7 + 1);
  EXPECT_GE(now - kNow, 100 * 1000 / 7 - 1);
}

TEST(RateLimiterTest, ClockSteppingBackRefillsNothingAndDoesNotStall) {
  RateLimiter limiter(10, kNow);
  drain(limiter, kNow);
  const int64_t back = kNow - 3600000;
  EXPECT_FALSE(limiter.take(back));
  EXPECT_EQ(limiter.next_allowed_at(back), back + 100);
  EXPECT_TRUE(limiter.take(back + 100));
}

TEST(RateLimiterTest, BadRatesAreRefused) {
  EXPECT_THROW(RateLimiter(0, kNow), std::invalid_argument);
  EXPECT_THROW(RateLimiter(-5, kNow), std::invalid_argument);
  EXPECT_THROW(RateLimiter(1'000'001, kNow), std::invalid_argument);
}

}  // namespace
}  // namespace hookline::delivery
