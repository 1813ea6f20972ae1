#include "core/contact_timeline.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

// A read of rows (seq, time), the contact's or not, newest first.
LogScan read_of(std::vector<ScannedRow> rows, bool reached_start) {
  return LogScan{std::move(rows), reached_start};
}

TEST(ContactTimelineTest, TwoReadsToTheStartKeepEverythingAndFinish) {
  const TimelineCut cut = cut_timeline(read_of({{5, 500, true}, {3, 300, false}}, true),
                                       read_of({{9, 520, true}}, true), TimelinePosition{});
  EXPECT_EQ(cut.events_kept, 2u);
  EXPECT_EQ(cut.deliveries_kept, 1u);
  EXPECT_TRUE(cut.next.finished());
  EXPECT_FALSE(cut.complete_since_ms);
}

TEST(ContactTimelineTest, BothReadsAreCutWhereTheLaterOneStopped) {
  // Events were read back to 400; deliveries, fewer per second, back to 100. Deliveries older
  // than 400 could sit between events not yet read, so they wait for the next page.
  const TimelineCut cut = cut_timeline(
      read_of({{50, 700, true}, {49, 600, false}, {48, 400, true}}, false),
      read_of({{20, 650, true}, {19, 450, true}, {18, 300, true}, {17, 100, false}}, false),
      TimelinePosition{});
  EXPECT_EQ(cut.events_kept, 3u);
  EXPECT_EQ(cut.deliveries_kept, 2u);
  EXPECT_EQ(cut.next, (TimelinePosition{48, 19}));
  EXPECT_EQ(cut.complete_since_ms, 400);
}

TEST(ContactTimelineTest, ALogReadToItsStartDoesNotCutTheOther) {
  const TimelineCut cut = cut_timeline(read_of({{7, 900, true}, {6, 800, false}}, false),
                                       read_of({{3, 950, true}}, true), TimelinePosition{});
  EXPECT_EQ(cut.events_kept, 2u);
  EXPECT_EQ(cut.deliveries_kept, 1u);
  EXPECT_EQ(cut.next, (TimelinePosition{6, 0}));
  EXPECT_EQ(cut.complete_since_ms, 800);
}

TEST(ContactTimelineTest, ALogWithNothingKeptReadsOnFromWhereItWas) {
  // Every delivery read is older than where the events stopped: none is shown yet, and the next
  // page reads them again from the same place.
  const TimelineCut cut =
      cut_timeline(read_of({{30, 900, true}, {29, 800, true}}, false),
                   read_of({{12, 500, true}, {11, 400, true}}, false), TimelinePosition{31, 13});
  EXPECT_EQ(cut.events_kept, 2u);
  EXPECT_EQ(cut.deliveries_kept, 0u);
  EXPECT_EQ(cut.next, (TimelinePosition{29, 13}));
}

TEST(ContactTimelineTest, ARowWhoseClockWentBackIsReadAgainNotSkipped) {
  // Row 8 was stored after row 7 with an older time (another node's clock): the cut stops before
  // it, so it is read again rather than passed over with the rows below it.
  const TimelineCut cut =
      cut_timeline(read_of({{9, 900, true}, {8, 100, true}, {7, 800, true}}, false),
                   read_of({{4, 850, true}, {3, 600, false}}, false), TimelinePosition{});
  EXPECT_EQ(cut.events_kept, 1u);
  EXPECT_EQ(cut.deliveries_kept, 1u);
  EXPECT_EQ(cut.next, (TimelinePosition{9, 4}));
}

TEST(ContactTimelineTest, PagingMovesOnEvenWhenClocksKeepEveryRowBack) {
  // Both reads start with a row older than where the other stopped: the read that stopped later
  // is kept whole, so the next page starts further back and paging ends.
  const TimelineCut cut =
      cut_timeline(read_of({{9, 100, true}, {8, 700, true}}, false),
                   read_of({{4, 200, true}, {3, 500, false}}, false), TimelinePosition{});
  EXPECT_EQ(cut.events_kept, 2u);
  EXPECT_EQ(cut.deliveries_kept, 0u);
  EXPECT_EQ(cut.next, (TimelinePosition{8, TimelinePosition::kFromNewest}));
}

TEST(ContactTimelineTest, CursorsReadBackWhatTheyWrite) {
  const TimelinePosition position{123, 0};
  auto read = parse_timeline_cursor(timeline_cursor(position));
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, position);
  auto newest = parse_timeline_cursor("");
  ASSERT_TRUE(newest);
  EXPECT_EQ(*newest, TimelinePosition{});
  for (const char* wrong : {"12", "a.1", "1.", ".1", "-1.3", "1.2.3", "1.2x"}) {
    auto refused = parse_timeline_cursor(wrong);
    ASSERT_FALSE(refused) << wrong;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_EQ(refused.error().field, "cursor");
  }
}

}  // namespace
}  // namespace hookline
