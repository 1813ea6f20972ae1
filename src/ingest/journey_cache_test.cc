#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ingest/event_path.h"

namespace hookline::ingest {
namespace {

store::JourneyRow journey_row(int number, int version = 1) {
  store::JourneyRow row;
  row.id = "journey-" + std::to_string(number);
  row.workspace_id = "ws";
  row.name = "journey " + std::to_string(number);
  row.status = JourneyStatus::kActive;
  row.version = version;
  row.updated_at = 1000 + version;
  row.trigger_event = "e";
  row.graph =
      R"({"blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"x","type":"exit"}],)"
      R"("edges":[{"source":"t","target":"x"}]})";
  return row;
}

TEST(JourneyCacheTest, AVersionIsParsedOnceAndAgainOnlyWhenItsRowMoved) {
  JourneyCache cache;
  store::JourneyRow row = journey_row(1);
  auto first = cache.get(row);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)->version, 1);
  EXPECT_EQ(cache.get(row)->get(), first->get());
  row.updated_at += 1;  // a draft saved in place
  auto again = cache.get(row);
  ASSERT_TRUE(again);
  EXPECT_NE(again->get(), first->get());
  EXPECT_EQ(cache.parsed(), 1u);
}

TEST(JourneyCacheTest, VersionsNothingHoldsAreDroppedPastTheBoundAndParsedAgainWhenAsked) {
  JourneyCache cache;
  // Versions a caller still holds (as a list of listening journeys does) survive every sweep.
  std::vector<std::shared_ptr<const Journey>> held;
  for (int i = 0; i < 10; ++i) held.push_back(*cache.get(journey_row(i)));
  for (int version = 1; version <= 3 * static_cast<int>(JourneyCache::kKeepAbove); ++version) {
    ASSERT_TRUE(cache.get(journey_row(1000, version)));
  }
  EXPECT_LT(cache.parsed(), 2 * JourneyCache::kKeepAbove + 1);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(cache.get(journey_row(i))->get(), held[i].get()) << "held version " << i;
  }
  auto early = cache.get(journey_row(1000, 1));  // dropped long ago: read from its row again
  ASSERT_TRUE(early);
  EXPECT_EQ((*early)->version, 1);
  EXPECT_EQ((*early)->id, "journey-1000");
}

}  // namespace
}  // namespace hookline::ingest
