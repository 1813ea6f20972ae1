#include "core/delivery_stats.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(DeliveryStatsTest, ABucketHoldsTheTriesUpToItsBound) {
  EXPECT_EQ(latency_bucket(0), 0u);
  EXPECT_EQ(latency_bucket(10), 0u);
  EXPECT_EQ(latency_bucket(11), 1u);
  EXPECT_EQ(latency_bucket(60000), kLatencyBuckets - 2);
  EXPECT_EQ(latency_bucket(90000), kLatencyBuckets - 1);
}

TEST(DeliveryStatsTest, CountsTriesOutcomesAndDurations) {
  AttemptCounts counts;
  counts.add_try(false, false, 40);
  counts.add_try(false, true, 60);
  counts.add_try(true, false, 8);
  EXPECT_EQ(counts.attempts, 3);
  EXPECT_EQ(counts.succeeded, 1);
  EXPECT_EQ(counts.failed(), 2);
  EXPECT_EQ(counts.dead, 1);
  EXPECT_EQ(counts.duration_ms, 108);
  EXPECT_NEAR(*counts.success_rate(), 1.0 / 3, 1e-9);

  AttemptCounts more;
  more.add_try(true, false, 8);
  more += counts;
  EXPECT_EQ(more.attempts, 4);
  EXPECT_EQ(more.latency[0], 2);
}

TEST(DeliveryStatsTest, NoTriesHaveNoRateAndNoLatency) {
  const AttemptCounts none;
  EXPECT_FALSE(none.success_rate());
  EXPECT_FALSE(none.latency_quantile(0.5));
  EXPECT_EQ(none, AttemptCounts{});
}

TEST(DeliveryStatsTest, QuantilesInterpolateWithinTheirBucket) {
  AttemptCounts counts;
  // 100 tries: 50 of 101-250 ms, 45 of 251-500 ms, 5 of 1001-2500 ms.
  for (int i = 0; i < 50; ++i) counts.add_try(true, false, 200);
  for (int i = 0; i < 45; ++i) counts.add_try(true, false, 300);
  for (int i = 0; i < 5; ++i) counts.add_try(true, false, 2000);
  EXPECT_EQ(*counts.latency_quantile(0.5), 250);  // the 50th is the last of the first bucket
  EXPECT_EQ(*counts.latency_quantile(0.95), 500);
  EXPECT_EQ(*counts.latency_quantile(0.99), 2200);  // the 4th of 5 in 1000-2500
  EXPECT_EQ(*counts.latency_quantile(0.0), 103);    // the first: 1/50 into 100-250
}

TEST(DeliveryStatsTest, TriesOverTheLastBoundReadAsIt) {
  AttemptCounts counts;
  counts.add_try(false, false, 75000);
  EXPECT_EQ(*counts.latency_quantile(0.5), 60000);
}

}  // namespace
}  // namespace hookline
