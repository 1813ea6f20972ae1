#include "delivery/breaker.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kNow = 1700000000000;

BreakerOptions options() {
  BreakerOptions options;
  options.failure_threshold = 3;
  options.first_open = milliseconds(5000);
  options.max_open = milliseconds(30000);
  return options;
}

// A breaker opened at kNow by `threshold` failures of tries that were not probes.
Breaker opened_at_now() {
  Breaker breaker(options());
  for (int i = 0; i < 3; ++i) breaker.record_failure(kNow, breaker.attempt_started(kNow));
  return breaker;
}

outbound::OutboundResult response(int status) {
  outbound::OutboundResult result;
  result.response = outbound::OutboundResponse{status, {}, "", false};
  return result;
}

outbound::OutboundResult transport_error(outbound::TransportError error) {
  outbound::OutboundResult result;
  result.error = error;
  return result;
}

BreakerVerdict verdict_of(const outbound::OutboundResult& result) {
  return breaker_verdict(result, classify(result, kNow));
}

TEST(BreakerTest, StartsClosedAndClean) {
  const Breaker breaker(options());
  EXPECT_EQ(breaker.state(kNow), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allows_attempt(kNow));
  EXPECT_TRUE(breaker.clean());
  const BreakerSnapshot snapshot = breaker.snapshot(kNow);
  EXPECT_EQ(snapshot.state, "closed");
  EXPECT_EQ(snapshot.consecutive_failures, 0);
  EXPECT_EQ(snapshot.open_until_ms, 0);
}

TEST(BreakerTest, TriesWhileClosedAreNotProbes) {
  Breaker breaker(options());
  EXPECT_EQ(breaker.attempt_started(kNow), 0u);
  EXPECT_FALSE(breaker.probe_out());
  EXPECT_TRUE(breaker.allows_attempt(kNow));
}

TEST(BreakerTest, FailuresBelowTheThresholdKeepItClosed) {
  Breaker breaker(options());
  breaker.record_failure(kNow, 0);
  breaker.record_failure(kNow, 0);
  EXPECT_EQ(breaker.state(kNow), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allows_attempt(kNow));
  EXPECT_FALSE(breaker.clean());
  EXPECT_EQ(breaker.snapshot(kNow).consecutive_failures, 2);
}

TEST(BreakerTest, SuccessResetsTheCount) {
  Breaker breaker(options());
  breaker.record_failure(kNow, 0);
  breaker.record_failure(kNow, 0);
  breaker.record_success();
  EXPECT_TRUE(breaker.clean());
  breaker.record_failure(kNow, 0);
  breaker.record_failure(kNow, 0);
  EXPECT_EQ(breaker.state(kNow), BreakerState::kClosed);  // 2, not 4, in a row
}

TEST(BreakerTest, ThresholdConsecutiveFailuresOpenItForTheFirstInterval) {
  const Breaker breaker = opened_at_now();
  EXPECT_EQ(breaker.state(kNow), BreakerState::kOpen);
  EXPECT_FALSE(breaker.allows_attempt(kNow));
  EXPECT_FALSE(breaker.allows_attempt(kNow + 4999));
  EXPECT_EQ(breaker.open_until(), kNow + 5000);
  const BreakerSnapshot snapshot = breaker.snapshot(kNow + 1);
  EXPECT_EQ(snapshot.state, "open");
  EXPECT_EQ(snapshot.consecutive_failures, 3);
  EXPECT_EQ(snapshot.open_until_ms, kNow + 5000);
  EXPECT_EQ(snapshot.opened_at_ms, kNow);
}

TEST(BreakerTest, WhenTheIntervalEndsExactlyOneProbeGoes) {
  Breaker breaker = opened_at_now();
  const int64_t later = kNow + 5000;
  EXPECT_EQ(breaker.state(later), BreakerState::kHalfOpen);
  EXPECT_EQ(breaker.snapshot(later).state, "half_open");
  ASSERT_TRUE(breaker.allows_attempt(later));
  const uint64_t probe = breaker.attempt_started(later);
  EXPECT_NE(probe, 0u);
  EXPECT_TRUE(breaker.probe_out());
  EXPECT_FALSE(breaker.allows_attempt(later));
  EXPECT_FALSE(breaker.allows_attempt(later + 60000));  // however long the probe takes
}

TEST(BreakerTest, ProbeSuccessClosesAndResets) {
  Breaker breaker = opened_at_now();
  breaker.attempt_started(kNow + 5000);
  breaker.record_success();
  EXPECT_EQ(breaker.state(kNow + 5001), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allows_attempt(kNow + 5001));
  EXPECT_TRUE(breaker.clean());
  EXPECT_EQ(breaker.open_until(), 0);
  EXPECT_EQ(breaker.snapshot(kNow + 5001).opened_at_ms, 0);
  // Counting starts over: it takes the whole threshold to open again, for the first interval.
  breaker.record_failure(kNow + 6000, 0);
  breaker.record_failure(kNow + 6000, 0);
  EXPECT_TRUE(breaker.allows_attempt(kNow + 6000));
  breaker.record_failure(kNow + 6000, 0);
  EXPECT_EQ(breaker.open_until(), kNow + 6000 + 5000);
}

TEST(BreakerTest, ProbeFailureReopensForTwiceTheIntervalUpToTheCap) {
  Breaker breaker = opened_at_now();
  int64_t now = kNow;
  int64_t interval = 5000;
  for (const int64_t expected : {10000, 20000, 30000, 30000}) {
    now += interval;
    const uint64_t probe = breaker.attempt_started(now);
    ASSERT_NE(probe, 0u);
    breaker.record_failure(now + 100, probe);
    EXPECT_EQ(breaker.state(now + 100), BreakerState::kOpen);
    EXPECT_EQ(breaker.open_until(), now + 100 + expected);
    EXPECT_FALSE(breaker.probe_out());
    interval = expected + 100;
  }
  EXPECT_EQ(breaker.snapshot(now).consecutive_failures, 3 + 4);
  // Reopened by its probes, it is still the opening that began at kNow.
  EXPECT_EQ(breaker.snapshot(now).opened_at_ms, kNow);
}

TEST(BreakerTest, FailuresOfOlderTriesWhileOpenDoNotExtendIt) {
  Breaker breaker = opened_at_now();
  breaker.record_failure(kNow + 1000, 0);
  EXPECT_EQ(breaker.open_until(), kNow + 5000);
  EXPECT_EQ(breaker.snapshot(kNow + 1000).consecutive_failures, 4);
}

TEST(BreakerTest, FailureOfAnOlderTryDoesNotOverruleTheProbe) {
  Breaker breaker = opened_at_now();
  ASSERT_NE(breaker.attempt_started(kNow + 5000), 0u);
  breaker.record_failure(kNow + 5100, 0);  // started before the breaker opened
  EXPECT_EQ(breaker.state(kNow + 5100), BreakerState::kHalfOpen);
  EXPECT_TRUE(breaker.probe_out());
  breaker.record_success();  // the probe's
  EXPECT_EQ(breaker.state(kNow + 5200), BreakerState::kClosed);
}

TEST(BreakerTest, AnySuccessClosesEvenWhileOpen) {
  Breaker breaker = opened_at_now();
  breaker.record_success();  // a try started before it opened: the receiver answers again
  EXPECT_EQ(breaker.state(kNow + 1), BreakerState::kClosed);
  EXPECT_TRUE(breaker.clean());
}

TEST(BreakerTest, NeutralProbeOutcomeFreesTheSlot) {
  Breaker breaker = opened_at_now();
  const uint64_t probe = breaker.attempt_started(kNow + 5000);
  breaker.record_neutral(probe);
  EXPECT_EQ(breaker.state(kNow + 5000), BreakerState::kHalfOpen);
  EXPECT_TRUE(breaker.allows_attempt(kNow + 5000));
  EXPECT_EQ(breaker.snapshot(kNow + 5000).consecutive_failures, 3);
}

TEST(BreakerTest, LateResultOfAnEarlierProbeLeavesTheCurrentOneAlone) {
  Breaker breaker = opened_at_now();
  const uint64_t first = breaker.attempt_started(kNow + 5000);
  breaker.record_neutral(first);
  const uint64_t second = breaker.attempt_started(kNow + 5000);
  EXPECT_NE(first, second);
  breaker.record_neutral(first);  // again, late: changes nothing
  EXPECT_FALSE(breaker.allows_attempt(kNow + 5000));
  breaker.record_failure(kNow + 5100, first);
  EXPECT_EQ(breaker.state(kNow + 5100), BreakerState::kHalfOpen);
  breaker.record_failure(kNow + 5200, second);
  EXPECT_EQ(breaker.state(kNow + 5200), BreakerState::kOpen);
  EXPECT_EQ(breaker.open_until(), kNow + 5200 + 10000);
}

TEST(BreakerTest, ThresholdOfOneOpensOnTheFirstFailure) {
  BreakerOptions one = options();
  one.failure_threshold = 1;
  Breaker breaker(one);
  breaker.record_failure(kNow, 0);
  EXPECT_EQ(breaker.state(kNow), BreakerState::kOpen);
}

TEST(BreakerTest, OpenedElsewhereHoldsTriesUntilThatNodesProbeAndKeepsALaterEnd) {
  Breaker breaker(options());
  EXPECT_TRUE(breaker.opened_elsewhere(kNow + 8000, milliseconds(10000), 7));
  EXPECT_EQ(breaker.state(kNow), BreakerState::kOpen);
  EXPECT_FALSE(breaker.allows_attempt(kNow + 7999));
  EXPECT_EQ(breaker.open_until(), kNow + 8000);
  EXPECT_EQ(breaker.consecutive_failures(), 7);
  // Older news, or news of a shorter opening, moves nothing.
  EXPECT_FALSE(breaker.opened_elsewhere(kNow + 6000, milliseconds(5000), 5));
  EXPECT_EQ(breaker.open_until(), kNow + 8000);
  EXPECT_EQ(breaker.consecutive_failures(), 7);
  // Should that node die, this one probes once the end passes, and a failed probe doubles the
  // interval the cluster had reached.
  const uint64_t probe = breaker.attempt_started(kNow + 8000);
  ASSERT_NE(probe, 0u);
  breaker.record_failure(kNow + 8100, probe);
  EXPECT_EQ(breaker.open_until(), kNow + 8100 + 20000);
}

TEST(BreakerTest, OpenedElsewhereKeepsTheIntervalWithinTheOptions) {
  Breaker breaker(options());
  breaker.opened_elsewhere(kNow + 1000, milliseconds(3'600'000), 5);
  EXPECT_EQ(breaker.interval(), milliseconds(30000));
  Breaker other(options());
  other.opened_elsewhere(kNow + 1000, milliseconds(1), 5);
  EXPECT_EQ(other.interval(), milliseconds(5000));
}

TEST(BreakerTest, OwnProbeStillOutCountsWhenOpenedElsewhere) {
  Breaker breaker = opened_at_now();
  const uint64_t probe = breaker.attempt_started(kNow + 5000);
  ASSERT_NE(probe, 0u);
  breaker.opened_elsewhere(kNow + 9000, milliseconds(10000), 6);
  EXPECT_EQ(breaker.state(kNow + 5100), BreakerState::kOpen);
  breaker.record_success();  // the receiver answered this node's probe
  EXPECT_TRUE(breaker.clean());
}

TEST(BreakerTest, ClosedElsewhereClosesAndForgetsTheFailures) {
  Breaker breaker = opened_at_now();
  breaker.closed_elsewhere();
  EXPECT_TRUE(breaker.clean());
  EXPECT_TRUE(breaker.allows_attempt(kNow));
}

TEST(BreakerTest, BadOptionsAreRefused) {
  BreakerOptions bad = options();
  bad.failure_threshold = 0;
  EXPECT_THROW(Breaker{bad}, std::invalid_argument);
  bad = options();
  bad.first_open = milliseconds(0);
  EXPECT_THROW(Breaker{bad}, std::invalid_argument);
  bad = options();
  bad.max_open = milliseconds(1000);
  EXPECT_THROW(Breaker{bad}, std::invalid_argument);
}

TEST(BreakerVerdictTest, OnlyRetriedOutcomesAreFailures) {
  struct Case {
    outbound::OutboundResult result;
    BreakerVerdict expected;
  };
  const Case cases[] = {
      {response(200), BreakerVerdict::kSuccess},
      {response(204), BreakerVerdict::kSuccess},
      {response(400), BreakerVerdict::kSuccess},  // final: the receiver is up and answering
      {response(404), BreakerVerdict::kSuccess},
      {response(410), BreakerVerdict::kSuccess},
      {response(302), BreakerVerdict::kFailure},  // retried: redirects are not followed
      {response(408), BreakerVerdict::kFailure},
      {response(429), BreakerVerdict::kFailure},
      {response(500), BreakerVerdict::kFailure},
      {response(503), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kTimeout), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kConnectRefused), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kDns), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kTls), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kConnectionReset), BreakerVerdict::kFailure},
      {transport_error(outbound::TransportError::kBlockedTarget), BreakerVerdict::kNeutral},
  };
  for (const Case& c : cases) {
    const std::string what = c.result.response
                                 ? std::to_string(c.result.response->status)
                                 : std::string(outbound::transport_error_name(*c.result.error));
    EXPECT_EQ(verdict_of(c.result), c.expected) << what;
  }
}

}  // namespace
}  // namespace hookline::delivery
