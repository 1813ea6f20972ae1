#include "delivery/retry_policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace hookline::delivery {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kNow = 1445412480000;  // Wed, 21 Oct 2015 07:28:00 GMT

outbound::OutboundResult response(int status,
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  outbound::OutboundResult result;
  result.response = outbound::OutboundResponse{status, std::move(headers), "", false};
  return result;
}

outbound::OutboundResult transport_error(outbound::TransportError error) {
  outbound::OutboundResult result;
  result.error = error;
  result.error_message = "curl said no";
  return result;
}

RetrySchedule schedule_of(std::string_view text) {
  auto schedule = RetrySchedule::parse(text);
  EXPECT_TRUE(schedule.has_value()) << schedule.error();
  return schedule.value_or(RetrySchedule{});
}

const Classification kRetry{Classification::kRetry, std::nullopt};

// ---- RetrySchedule::parse

TEST(RetryScheduleTest, ParsesTheDefaultSchedule) {
  const RetrySchedule schedule = schedule_of("0s,5s,30s,2m,10m,30m,1h,3h,6h,12h");
  const std::vector<milliseconds> expected = {seconds(0),  seconds(5),  seconds(30), minutes(2),
                                              minutes(10), minutes(30), hours(1),    hours(3),
                                              hours(6),    hours(12)};
  EXPECT_EQ(schedule.delays, expected);
}

TEST(RetryScheduleTest, EveryUnitIsUnderstood) {
  const RetrySchedule schedule = schedule_of("0ms,250ms,2s,3m,4h,1d");
  const std::vector<milliseconds> expected = {milliseconds(0), milliseconds(250), seconds(2),
                                              minutes(3),      hours(4),          hours(24)};
  EXPECT_EQ(schedule.delays, expected);
}

TEST(RetryScheduleTest, SpacesAroundEntriesAreAllowed) {
  const RetrySchedule schedule = schedule_of("  0s , 50ms,\t1m ");
  const std::vector<milliseconds> expected = {seconds(0), milliseconds(50), minutes(1)};
  EXPECT_EQ(schedule.delays, expected);
}

TEST(RetryScheduleTest, ASingleTryIsASchedule) {
  EXPECT_EQ(schedule_of("0s").delays, std::vector<milliseconds>{seconds(0)});
}

TEST(RetryScheduleTest, EmptyTextIsRefused) {
  for (std::string_view text : {"", "   "}) {
    const auto schedule = RetrySchedule::parse(text);
    ASSERT_FALSE(schedule.has_value()) << text;
    EXPECT_EQ(schedule.error(), "retry schedule is empty");
  }
}

TEST(RetryScheduleTest, EmptyEntryIsRefusedByPosition) {
  auto schedule = RetrySchedule::parse("0s,,5s");
  ASSERT_FALSE(schedule.has_value());
  EXPECT_EQ(schedule.error(), "retry schedule entry 2 is empty");
  schedule = RetrySchedule::parse("0s,5s,");
  ASSERT_FALSE(schedule.has_value());
  EXPECT_EQ(schedule.error(), "retry schedule entry 3 is empty");
}

TEST(RetryScheduleTest, BadEntriesAreNamedWithTheReason) {
  const std::vector<std::pair<std::string_view, std::string>> cases = {
      {"0s,5x", "retry schedule entry 2 \"5x\" unknown unit \"x\" (use ms, s, m, h or d)"},
      {"0s,5", "retry schedule entry 2 \"5\" needs a unit: ms, s, m, h or d"},
      {"s", "retry schedule entry 1 \"s\" must start with a whole number"},
      {"0s,-5s", "retry schedule entry 2 \"-5s\" must start with a whole number"},
      {"1.5s", "retry schedule entry 1 \"1.5s\" unknown unit \".5s\" (use ms, s, m, h or d)"},
      {"5 s", "retry schedule entry 1 \"5 s\" unknown unit \" s\" (use ms, s, m, h or d)"},
      {"5S", "retry schedule entry 1 \"5S\" unknown unit \"S\" (use ms, s, m, h or d)"},
      {"31d", "retry schedule entry 1 \"31d\" is longer than the maximum of 30d"},
      {"0s,31d", "retry schedule entry 2 \"31d\" is longer than the maximum of 30d"},
      {"1m,5m",
       "retry schedule entry 1 \"1m\" must be 0s: it stands for the first try, which is sent at "
       "once (entry n is the wait before try n)"},
      {"99999999999999999999999ms",
       "retry schedule entry 1 \"99999999999999999999999ms\" is longer than the maximum of 30d"},
  };
  for (const auto& [text, error] : cases) {
    const auto schedule = RetrySchedule::parse(text);
    ASSERT_FALSE(schedule.has_value()) << text;
    EXPECT_EQ(schedule.error(), error) << text;
  }
}

TEST(RetryScheduleTest, ThirtyDaysIsTheLongestDelay) {
  EXPECT_EQ(schedule_of("0s,30d").delays, (std::vector<milliseconds>{seconds(0), hours(24 * 30)}));
}

TEST(RetryScheduleTest, FiftyEntriesAreTheMost) {
  std::string text = "0s";
  for (int i = 1; i < 50; ++i) text += ",1s";
  EXPECT_EQ(schedule_of(text).delays.size(), 50u);
  const auto schedule = RetrySchedule::parse(text + ",1s");
  ASSERT_FALSE(schedule.has_value());
  EXPECT_EQ(schedule.error(), "retry schedule has more than 50 entries");
}

// ---- classify

TEST(ClassifyTest, Any2xxIsASuccess) {
  for (int status : {200, 201, 202, 204, 299}) {
    EXPECT_EQ(classify(response(status), kNow).kind, Classification::kSuccess) << status;
  }
}

TEST(ClassifyTest, ServerErrorsTimeoutsThrottlingAndRedirectsRetry) {
  for (int status : {500, 502, 503, 504, 599, 408, 429, 301, 302, 304, 307, 308}) {
    const Classification c = classify(response(status), kNow);
    EXPECT_EQ(c.kind, Classification::kRetry) << status;
    EXPECT_FALSE(c.retry_after.has_value()) << status;
  }
}

TEST(ClassifyTest, OtherClientErrorsAreFinal) {
  for (int status : {400, 401, 403, 404, 405, 409, 410, 413, 422, 499}) {
    EXPECT_EQ(classify(response(status), kNow).kind, Classification::kFinal) << status;
  }
}

TEST(ClassifyTest, OddStatusesRetry) {
  for (int status : {0, 100, 199, 600, 999}) {
    EXPECT_EQ(classify(response(status), kNow).kind, Classification::kRetry) << status;
  }
}

TEST(ClassifyTest, TransportErrorsRetryExceptABlockedTarget) {
  for (outbound::TransportError error :
       {outbound::TransportError::kTimeout, outbound::TransportError::kConnectRefused,
        outbound::TransportError::kDns, outbound::TransportError::kTls,
        outbound::TransportError::kConnectionReset, outbound::TransportError::kOther}) {
    EXPECT_EQ(classify(transport_error(error), kNow).kind, Classification::kRetry)
        << outbound::transport_error_name(error);
  }
  EXPECT_EQ(classify(transport_error(outbound::TransportError::kBlockedTarget), kNow).kind,
            Classification::kFinal);
}

TEST(ClassifyTest, RetryAfterSecondsIsHonouredOn429And503) {
  for (int status : {429, 503}) {
    const Classification c = classify(response(status, {{"Retry-After", "120"}}), kNow);
    EXPECT_EQ(c.kind, Classification::kRetry);
    EXPECT_EQ(c.retry_after, seconds(120)) << status;
  }
}

TEST(ClassifyTest, RetryAfterIsIgnoredOnOtherStatuses) {
  for (int status : {500, 502, 408, 301}) {
    const Classification c = classify(response(status, {{"Retry-After", "120"}}), kNow);
    EXPECT_EQ(c.kind, Classification::kRetry);
    EXPECT_FALSE(c.retry_after.has_value()) << status;
  }
  EXPECT_FALSE(classify(response(404, {{"Retry-After", "1"}}), kNow).retry_after.has_value());
}

TEST(ClassifyTest, RetryAfterHeaderNameIsCaseInsensitiveAndTheFirstCounts) {
  const Classification c =
      classify(response(429, {{"X-Other", "1"}, {"retry-after", "7"}, {"Retry-After", "9"}}), kNow);
  EXPECT_EQ(c.retry_after, seconds(7));
}

TEST(ClassifyTest, RetryAfterDateIsADelayFromNow) {
  const Classification c =
      classify(response(503, {{"Retry-After", "Wed, 21 Oct 2015 07:30:00 GMT"}}), kNow);
  EXPECT_EQ(c.retry_after, minutes(2));
}

TEST(ClassifyTest, UnreadableRetryAfterFallsBackToTheSchedule) {
  const Classification c = classify(response(429, {{"Retry-After", "soon"}}), kNow);
  EXPECT_EQ(c.kind, Classification::kRetry);
  EXPECT_FALSE(c.retry_after.has_value());
}

// ---- parse_retry_after

TEST(ParseRetryAfterTest, SecondsWithSurroundingSpaces) {
  EXPECT_EQ(parse_retry_after("0", kNow), milliseconds(0));
  EXPECT_EQ(parse_retry_after(" 30 ", kNow), seconds(30));
  EXPECT_EQ(parse_retry_after("3600", kNow), hours(1));
}

TEST(ParseRetryAfterTest, IsCappedAtOneHour) {
  EXPECT_EQ(parse_retry_after("3601", kNow), hours(1));
  EXPECT_EQ(parse_retry_after("86400", kNow), hours(1));
  EXPECT_EQ(parse_retry_after("99999999999999999999999999", kNow), hours(1));
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", kNow), hours(1));
}

TEST(ParseRetryAfterTest, HttpDateFormsAreRead) {
  // IMF-fixdate, and the obsolete RFC 850 and asctime forms a receiver may still send.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow), seconds(30));
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:30 GMT", kNow), seconds(30));
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:30 2015", kNow), seconds(30));
}

TEST(ParseRetryAfterTest, DateInThePastIsNoDelay) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", kNow), milliseconds(0));
}

TEST(ParseRetryAfterTest, GarbageIsNotADelay) {
  for (std::string_view value : {"", "  ", "-5", "1.5", "soon", "5s", "Wed, 99 Foo 2015"}) {
    EXPECT_FALSE(parse_retry_after(value, kNow).has_value()) << value;
  }
}

// ---- next_attempt_at

TEST(NextAttemptAtTest, FollowsTheScheduleWithoutJitterAtTheMiddle) {
  const RetrySchedule schedule = schedule_of("0s,5s,30s,2m");
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.5), kNow + 5000);
  EXPECT_EQ(next_attempt_at(schedule, 2, kRetry, kNow, 0.5), kNow + 30000);
  EXPECT_EQ(next_attempt_at(schedule, 3, kRetry, kNow, 0.5), kNow + 120000);
}

TEST(NextAttemptAtTest, ScheduleUsedUpIsDead) {
  const RetrySchedule schedule = schedule_of("0s,5s,30s");
  EXPECT_FALSE(next_attempt_at(schedule, 3, kRetry, kNow, 0.5).has_value());
  EXPECT_FALSE(next_attempt_at(schedule, 4, kRetry, kNow, 0.5).has_value());
  EXPECT_FALSE(next_attempt_at(schedule_of("0s"), 1, kRetry, kNow, 0.5).has_value());
}

TEST(NextAttemptAtTest, FinalOutcomeIsDeadEvenWithTriesLeft) {
  const RetrySchedule schedule = schedule_of("0s,5s,30s");
  const Classification final_outcome{Classification::kFinal, std::nullopt};
  EXPECT_FALSE(next_attempt_at(schedule, 1, final_outcome, kNow, 0.5).has_value());
}

TEST(NextAttemptAtTest, SuccessHasNoNextAttempt) {
  const Classification success{Classification::kSuccess, std::nullopt};
  EXPECT_FALSE(next_attempt_at(schedule_of("0s,5s"), 1, success, kNow, 0.5).has_value());
}

TEST(NextAttemptAtTest, JitterSpreadsByTwentyPercentEitherWay) {
  const RetrySchedule schedule = schedule_of("0s,10s");
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.0), kNow + 8000);
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.25), kNow + 9000);
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.75), kNow + 11000);
  const int64_t highest = *next_attempt_at(schedule, 1, kRetry, kNow, 0.999999);
  EXPECT_GT(highest, kNow + 11990);
  EXPECT_LE(highest, kNow + 12000);
}

TEST(NextAttemptAtTest, JitterOutsideItsRangeIsClamped) {
  const RetrySchedule schedule = schedule_of("0s,10s");
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, -3.0), kNow + 8000);
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 7.0), kNow + 12000);
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, std::nan("")), kNow + 10000);
}

TEST(NextAttemptAtTest, ZeroDelayStaysZeroWhateverTheJitter) {
  const RetrySchedule schedule = schedule_of("0s,0s");
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.0), kNow);
  EXPECT_EQ(next_attempt_at(schedule, 1, kRetry, kNow, 0.9), kNow);
}

TEST(NextAttemptAtTest, RetryAfterReplacesTheDelayAndIsNeverShortened) {
  const RetrySchedule schedule = schedule_of("0s,5s,30s");
  const Classification throttled{Classification::kRetry, seconds(100)};
  EXPECT_EQ(next_attempt_at(schedule, 1, throttled, kNow, 0.0), kNow + 100000);
  EXPECT_EQ(next_attempt_at(schedule, 1, throttled, kNow, 0.5), kNow + 110000);
  // Shorter than the schedule's own delay: still what the receiver asked for.
  const Classification soon{Classification::kRetry, seconds(1)};
  EXPECT_EQ(next_attempt_at(schedule, 2, soon, kNow, 0.0), kNow + 1000);
}

TEST(NextAttemptAtTest, RetryAfterGivesNoExtraTries) {
  const Classification throttled{Classification::kRetry, seconds(10)};
  EXPECT_FALSE(next_attempt_at(schedule_of("0s,5s"), 2, throttled, kNow, 0.5).has_value());
}

}  // namespace
}  // namespace hookline::delivery
