#include "core/journey_path.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

std::map<std::string, BlockStats> counts_of(std::string_view text, int64_t times) {
  std::map<std::string, BlockStats> stats;
  EXPECT_TRUE(add_path_counts(text, times, stats)) << text;
  return stats;
}

TEST(JourneyPathTest, PassedBlocksCountOnceEachAndADelayHoldsTheLast) {
  JourneyPath path;
  path.entered("t");
  path.left("t");
  path.entered("c");
  path.left("c");
  path.entered("d");
  EXPECT_EQ(path.text(), "=1:t=1:c+1:d");
  const auto stats = counts_of(path.text(), 3);
  EXPECT_EQ(stats.at("t").entered, 3);
  EXPECT_EQ(stats.at("t").left, 3);
  EXPECT_EQ(stats.at("d").entered, 3);
  EXPECT_EQ(stats.at("d").left, 0);
}

TEST(JourneyPathTest, AConditionCountsItsBranchAndTheLastPassEndsTheRun) {
  JourneyPath yes;
  yes.entered("t");
  yes.left("t");
  yes.entered("c");
  yes.left("c", "yes");
  yes.entered("x");
  yes.left("x");
  EXPECT_EQ(yes.text(), "=1:ty1:c=1:x");
  JourneyPath no;
  no.entered("t");
  no.left("t");
  no.entered("c");
  no.left("c", "no");
  no.entered("x");
  EXPECT_EQ(no.text(), "=1:tn1:c+1:x");

  std::map<std::string, BlockStats> stats;
  ASSERT_TRUE(add_path_counts(yes.text(), 3, stats));
  ASSERT_TRUE(add_path_counts(no.text(), 2, stats));
  EXPECT_EQ(stats.at("c").entered, 5);
  EXPECT_EQ(stats.at("c").left, 5);
  EXPECT_EQ(stats.at("c").yes, 3);
  EXPECT_EQ(stats.at("c").no, 2);
  EXPECT_EQ(stats.at("c").ended, 0);
  // Both reached x, the yes runs finished there, the no runs wait there.
  EXPECT_EQ(stats.at("x").entered, 5);
  EXPECT_EQ(stats.at("x").ended, 3);
  EXPECT_EQ(stats.at("t").ended, 0);
}

TEST(JourneyPathTest, WakingUpLeavesTheDelayFirst) {
  JourneyPath path;
  path.left("d");
  path.entered("w");
  path.left("w");
  EXPECT_EQ(path.text(), "-1:d=1:w");
  const auto stats = counts_of(path.text(), 2);
  EXPECT_EQ(stats.at("d").entered, 0);
  EXPECT_EQ(stats.at("d").left, 2);
  EXPECT_EQ(stats.at("w").left, 2);
  EXPECT_EQ(stats.at("w").ended, 2);
  EXPECT_EQ(stats.at("d").ended, 0);
}

TEST(JourneyPathTest, AWaitWithNothingAfterItEndsTheRunWhereItIsLeft) {
  JourneyPath path;
  path.left("d");
  EXPECT_EQ(path.text(), "-1:d");
  const auto stats = counts_of(path.text(), 3);
  EXPECT_EQ(stats.at("d").entered, 0);
  EXPECT_EQ(stats.at("d").left, 3);
  EXPECT_EQ(stats.at("d").ended, 3);
}

TEST(JourneyPathTest, AWaitUntilCountsTheOutputItIsLeftBy) {
  JourneyPath happened;
  happened.left("u", kHappened);
  happened.entered("w");
  happened.left("w");
  EXPECT_EQ(happened.text(), "h1:u=1:w");
  JourneyPath timed_out;
  timed_out.left("u", kTimedOut);
  EXPECT_EQ(timed_out.text(), "o1:u");

  std::map<std::string, BlockStats> stats;
  ASSERT_TRUE(add_path_counts(happened.text(), 2, stats));
  ASSERT_TRUE(add_path_counts(timed_out.text(), 5, stats));
  EXPECT_EQ(stats.at("u").entered, 0);
  EXPECT_EQ(stats.at("u").left, 7);
  EXPECT_EQ(stats.at("u").happened, 2);
  EXPECT_EQ(stats.at("u").timed_out, 5);
  EXPECT_EQ(stats.at("u").ended, 5);  // the timed-out runs had no block after it
  EXPECT_EQ(stats.at("w").ended, 2);
}

TEST(JourneyPathTest, AnyBlockIdReadsBack) {
  JourneyPath path;
  for (std::string_view id : {"=1:x", "ação", "a:b", "10"}) {
    path.entered(id);
    path.left(id);
  }
  const auto stats = counts_of(path.text(), 1);
  ASSERT_EQ(stats.size(), 4u);
  EXPECT_EQ(stats.at("=1:x").entered, 1);
  EXPECT_EQ(stats.at("ação").left, 1);
  EXPECT_EQ(stats.at("a:b").entered, 1);
  EXPECT_EQ(stats.at("10").entered, 1);
}

TEST(JourneyPathTest, TextThatIsNotAPathAddsNothing) {
  for (std::string_view bad : {"x", "=", "=1", "=1:", "=2:t", "=0:", "=a:t", "=1:t?"}) {
    std::map<std::string, BlockStats> stats;
    EXPECT_FALSE(add_path_counts(bad, 1, stats)) << bad;
    EXPECT_TRUE(stats.empty()) << bad;
  }
}

TEST(JourneyPathTest, ASplitCountsTheBranchTakenByItsIndex) {
  JourneyPath path;
  path.entered("t");
  path.left("t");
  path.entered("s");
  path.left("s", split_branch(2));
  path.entered("x");
  path.left("x");
  EXPECT_EQ(path.text(), "=1:t21:s=1:x");
  const auto stats = counts_of(path.text(), 4);
  EXPECT_EQ(stats.at("s").branches[2], 4);
  EXPECT_EQ(stats.at("s").branches[0], 0);
  EXPECT_EQ(stats.at("s").left, 4);
  EXPECT_EQ(stats.at("x").ended, 4);
  // A split that ends the run (its branch has no edge) ends it there.
  EXPECT_EQ(counts_of("=1:t01:s", 1).at("s").ended, 1);
}

}  // namespace
}  // namespace hookline
