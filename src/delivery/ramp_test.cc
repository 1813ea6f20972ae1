#include "delivery/ramp.h"

#include <gtest/gtest.h>

#include "core/webhook.h"

namespace hookline::delivery {
namespace {

constexpr int64_t kHealed = 1'000'000;

TEST(RampTest, ANeverHealedWebhookKeepsItsOwnLimit) {
  EXPECT_EQ(ramped_rate_limit(0, 0, kHealed), 0);
  EXPECT_EQ(ramped_rate_limit(50, 0, kHealed), 50);
}

TEST(RampTest, TheRateDoublesEveryStepFromOneASecond) {
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed), 1);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed + kRampStepMs - 1), 1);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed + kRampStepMs), 2);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed + 5 * kRampStepMs), 32);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed - 2000), 1) << "a clock a little behind";
}

TEST(RampTest, TheRampEndsAtTheWebhooksOwnLimitOrNone) {
  EXPECT_EQ(ramped_rate_limit(20, kHealed, kHealed + 4 * kRampStepMs), 16);
  EXPECT_EQ(ramped_rate_limit(20, kHealed, kHealed + 5 * kRampStepMs), 20);
  EXPECT_EQ(ramped_rate_limit(20, kHealed, kHealed + 100 * kRampStepMs), 20);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed + 13 * kRampStepMs), 8192);
  EXPECT_EQ(ramped_rate_limit(0, kHealed, kHealed + 14 * kRampStepMs), 0) << "no limit again";
  EXPECT_LT(8192, kMaxRateLimit);
}

}  // namespace
}  // namespace hookline::delivery
