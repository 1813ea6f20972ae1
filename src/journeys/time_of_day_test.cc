#include "journeys/time_of_day.h"

#include <gtest/gtest.h>

namespace hookline::journeys {
namespace {

constexpr int64_t kHourMs = 3'600'000;

TEST(TimeOfDayTest, ReadsHoursAndMinutes) {
  EXPECT_EQ(parse_time_of_day("00:00"), 0);
  EXPECT_EQ(parse_time_of_day("09:30"), 9 * 60 + 30);
  EXPECT_EQ(parse_time_of_day("23:59"), 23 * 60 + 59);
  for (const char* bad : {"24:00", "9:30", "09:60", "0930", "09:3x", "+9:30", "", "09:30 "}) {
    EXPECT_EQ(parse_time_of_day(bad), -1) << bad;
  }
}

TEST(TimeOfDayTest, KnowsTheZonesOfTheDatabase) {
  EXPECT_TRUE(is_time_zone("UTC"));
  EXPECT_TRUE(is_time_zone("America/Sao_Paulo"));
  EXPECT_FALSE(is_time_zone("Mars/Olympus"));
  EXPECT_FALSE(is_time_zone(""));
  EXPECT_FALSE(is_time_zone("localtime"));  // the server's own: not the same on every node
}

TEST(TimeOfDayTest, TheNextTimeIsLaterTodayOrTomorrow) {
  const int64_t noon_utc = 1'796'558'400'000;  // 2026-12-06 12:00 UTC
  EXPECT_EQ(next_time_of_day(13 * 60, "UTC", noon_utc), noon_utc + kHourMs);
  EXPECT_EQ(next_time_of_day(11 * 60, "UTC", noon_utc), noon_utc + 23 * kHourMs);
  // Exactly at the time: the next one, a day later, so a wait always waits.
  EXPECT_EQ(next_time_of_day(12 * 60, "UTC", noon_utc), noon_utc + 24 * kHourMs);
  // 09:00 in Sao Paulo (UTC-3) is 12:00 UTC.
  EXPECT_EQ(next_time_of_day(9 * 60, "America/Sao_Paulo", noon_utc - 1), noon_utc);
}

TEST(TimeOfDayTest, ATimeTheClockSkipsIsTakenAtTheJump) {
  // New York springs forward on 2027-03-14 at 02:00 EST (07:00 UTC): 02:30 never shows.
  const int64_t saturday_noon = 1'804'957'200'000;  // 2027-03-13 12:00 EST
  EXPECT_EQ(next_time_of_day(2 * 60 + 30, "America/New_York", saturday_noon),
            1'805'007'600'000);  // 2027-03-14 07:00 UTC
}

TEST(TimeOfDayTest, ATimeTheClockShowsTwiceIsTakenAtItsFirstShowing) {
  // New York falls back on 2026-11-01: 01:30 shows at 05:30 UTC (EDT), then 06:30 UTC (EST).
  const int64_t saturday_noon = 1'793'462'400'000;  // 2026-10-31 12:00 EDT
  EXPECT_EQ(next_time_of_day(60 + 30, "America/New_York", saturday_noon),
            1'793'511'000'000);  // 2026-11-01 05:30 UTC
  // Between the two showings (01:10 EST, the second 01:10): the second 01:30 is 20 minutes away.
  const int64_t second_showing = 1'793'513'400'000;  // 2026-11-01 06:10 UTC
  EXPECT_EQ(next_time_of_day(60 + 30, "America/New_York", second_showing),
            second_showing + 20 * 60'000);
}

TEST(TimeOfDayTest, AnUnknownZoneIsReadAsUtc) {
  const int64_t noon_utc = 1'796'558'400'000;  // 2026-12-06 12:00 UTC
  EXPECT_EQ(next_time_of_day(13 * 60, "Nowhere/Atlantis", noon_utc), noon_utc + kHourMs);
  EXPECT_EQ(next_time_of_day(12 * 60, "Nowhere/Atlantis", noon_utc), noon_utc + 24 * kHourMs);
}

}  // namespace
}  // namespace hookline::journeys
