#include "delivery/webhook_gate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kNow = 1700000000000;
constexpr int64_t kLongLease = kNow + 300000;  // a fresh claim's lease

WebhookGateOptions options() {
  WebhookGateOptions options;
  options.max_in_flight_per_webhook = 100;
  options.breaker.failure_threshold = 3;
  options.breaker.first_open = milliseconds(5000);
  options.breaker.max_open = milliseconds(30000);
  options.max_held_per_webhook = 2;
  return options;
}

WebhookSpec spec(int max_in_flight = 10, int rate_limit_per_second = 0) {
  WebhookSpec spec;
  spec.timeout_ms = 2000;
  spec.max_in_flight = max_in_flight;
  spec.rate_limit_per_second = rate_limit_per_second;
  return spec;
}

Admission::Kind admit(WebhookGate& gate, const WebhookSpec& s, int64_t now = kNow) {
  return gate.admit(s, kLongLease, now).kind;
}

// Admits and starts one try at `now`; returns its probe ticket.
uint64_t start(WebhookGate& gate, const WebhookSpec& s, int64_t now = kNow) {
  EXPECT_EQ(admit(gate, s, now), Admission::kStart);
  return gate.try_started(now);
}

// A gate whose breaker opened at kNow: three tries failed in a row (threshold 3).
WebhookGate opened_at_now() {
  WebhookGate gate(options());
  const uint64_t probes[] = {start(gate, spec()), start(gate, spec()), start(gate, spec())};
  for (const uint64_t probe : probes) gate.try_finished(BreakerVerdict::kFailure, probe, kNow);
  return gate;
}

// Several nodes share a webhook's limits: each takes its part, rounded up, so one node alone
// has all of it and the nodes together stay within limit + nodes - 1.
TEST(WebhookGateTest, EachOfSeveralNodesKeepsToItsShareOfTheLimits) {
  EXPECT_EQ(node_share(10, 1), 10);
  EXPECT_EQ(node_share(10, 3), 4);
  EXPECT_EQ(node_share(1, 3), 1);  // never none: every node may still send
  EXPECT_EQ(node_share(0, 3), 0);  // no rate limit stays none
  WebhookGate gate(options());
  const WebhookSpec four = spec(/*max_in_flight=*/4);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(gate.admit(four, kLongLease, kNow, /*nodes=*/2).kind, Admission::kStart);
    gate.try_started(kNow);
  }
  EXPECT_EQ(gate.admit(four, kLongLease, kNow, 2).kind, Admission::kNoSlot);
  EXPECT_EQ(gate.admit(four, kLongLease, kNow, 1).kind, Admission::kStart);  // the other left
  WebhookGate paced(options());
  const WebhookSpec ten_a_second = spec(/*max_in_flight=*/100, /*rate_limit_per_second=*/10);
  int started = 0;
  while (paced.admit(ten_a_second, kLongLease, kNow, 2).kind == Admission::kStart) {
    paced.try_started(kNow);
    ++started;
  }
  EXPECT_EQ(started, 5);  // half of the second's ten
}

TEST(WebhookGateTest, StartsTriesUntilTheWebhooksSlotsAreTaken) {
  WebhookGate gate(options());
  const WebhookSpec two = spec(/*max_in_flight=*/2);
  start(gate, two);
  start(gate, two);
  EXPECT_EQ(admit(gate, two), Admission::kNoSlot);
  gate.try_finished(BreakerVerdict::kSuccess, 0, kNow);
  EXPECT_EQ(admit(gate, two), Admission::kStart);
}

TEST(WebhookGateTest, OperatorCapWinsOverTheWebhooksOwnLimit) {
  WebhookGateOptions capped = options();
  capped.max_in_flight_per_webhook = 1;
  WebhookGate gate(capped);
  start(gate, spec(/*max_in_flight=*/10));
  EXPECT_EQ(admit(gate, spec(10)), Admission::kNoSlot);
}

TEST(WebhookGateTest, AWebhookAlwaysHasAtLeastOneSlot) {
  WebhookGate gate(options());
  start(gate, spec(/*max_in_flight=*/0));
  EXPECT_EQ(admit(gate, spec(0)), Admission::kNoSlot);
}

TEST(WebhookGateTest, DeliveryWhoseLeaseEndsWithinTheMarginIsNotStarted) {
  WebhookGate gate(options());
  const int64_t margin = lease_margin_ms(spec());
  EXPECT_EQ(gate.admit(spec(), kNow + margin - 1, kNow).kind, Admission::kLeaseEnding);
  EXPECT_EQ(gate.admit(spec(), kNow + margin, kNow).kind, Admission::kStart);
}

TEST(WebhookGateTest, FullSlotsAreAnsweredBeforeTheLease) {
  WebhookGate gate(options());
  start(gate, spec(1));
  EXPECT_EQ(gate.admit(spec(1), kNow, kNow).kind, Admission::kNoSlot);
}

TEST(WebhookGateTest, LeaseIsAnsweredBeforeTheBreaker) {
  WebhookGate gate = opened_at_now();
  EXPECT_EQ(gate.admit(spec(), kNow, kNow).kind, Admission::kLeaseEnding);
}

TEST(WebhookGateTest, OpenBreakerHoldsTriesUntilItsIntervalEndsAndAsksForAWakeUp) {
  WebhookGate gate = opened_at_now();
  const Admission held = gate.admit(spec(), kLongLease, kNow + 1000);
  EXPECT_EQ(held.kind, Admission::kBreakerHolds);
  EXPECT_EQ(held.resume_at, kNow + 5000);
  EXPECT_TRUE(held.wake_up);
}

TEST(WebhookGateTest, HalfOpenBreakerLetsOneProbeThroughThenWaitsForItsAnswer) {
  WebhookGate gate = opened_at_now();
  const int64_t later = kNow + 5000;
  EXPECT_NE(start(gate, spec(), later), 0u);  // the probe
  const Admission held = gate.admit(spec(), kLongLease, later + 10);
  EXPECT_EQ(held.kind, Admission::kBreakerHolds);
  // Its answer comes within the webhook's timeout and wakes the webhook: no timer needed.
  EXPECT_EQ(held.resume_at, later + 10 + 2000);
  EXPECT_FALSE(held.wake_up);
}

TEST(WebhookGateTest, BreakerOpenedElsewhereHoldsTriesUntilThatNodesProbeCouldHaveAnswered) {
  WebhookGate gate(options());
  EXPECT_TRUE(gate.breaker_opened_elsewhere(spec(), kNow + 5000, milliseconds(5000), 5));
  const Admission held = gate.admit(spec(), kLongLease, kNow + 1000);
  EXPECT_EQ(held.kind, Admission::kBreakerHolds);
  // The other node probes at kNow + 5000; its answer comes within the timeout (2 s) plus slack.
  EXPECT_EQ(held.resume_at, kNow + 5000 + lease_margin_ms(spec()));
  EXPECT_TRUE(held.wake_up);
  gate.breaker_closed_elsewhere();
  EXPECT_EQ(admit(gate, spec(), kNow + 1000), Admission::kStart);
}

TEST(WebhookGateTest, RateLimitTakesATokenPerTryAndNamesWhenTheNextComes) {
  WebhookGate gate(options());
  const WebhookSpec two_a_second = spec(10, /*rate_limit_per_second=*/2);
  start(gate, two_a_second);
  start(gate, two_a_second);
  const Admission out = gate.admit(two_a_second, kLongLease, kNow);
  EXPECT_EQ(out.kind, Admission::kNoToken);
  EXPECT_EQ(out.resume_at, kNow + 500);
  EXPECT_TRUE(out.wake_up);
  EXPECT_EQ(admit(gate, two_a_second, kNow + 500), Admission::kStart);
}

TEST(WebhookGateTest, ChangedRateStartsWithAFullBucket) {
  WebhookGate gate(options());
  start(gate, spec(10, 1));
  EXPECT_EQ(admit(gate, spec(10, 1)), Admission::kNoToken);
  EXPECT_EQ(admit(gate, spec(10, 3)), Admission::kStart);
}

TEST(WebhookGateTest, RemovedRateLimitLetsTriesFlow) {
  WebhookGate gate(options());
  start(gate, spec(10, 1));
  EXPECT_EQ(admit(gate, spec(10, 1)), Admission::kNoToken);
  EXPECT_EQ(admit(gate, spec(10, 0)), Admission::kStart);
}

TEST(WebhookGateTest, TriesHeldBackByTheBreakerTakeNoToken) {
  WebhookGate gate(options());
  const WebhookSpec one_a_second = spec(10, /*rate_limit_per_second=*/1);
  // Three tries a second apart, each failing: the last takes the token at kNow; the breaker opens.
  for (int64_t at = kNow - 2000; at <= kNow; at += 1000) {
    gate.try_finished(BreakerVerdict::kFailure, start(gate, one_a_second, at), kNow);
  }
  EXPECT_EQ(admit(gate, one_a_second, kNow + 4500), Admission::kBreakerHolds);
  // The bucket refilled while the breaker was open, and the probe gets its token.
  EXPECT_EQ(admit(gate, one_a_second, kNow + 5000), Admission::kStart);
}

TEST(WebhookGateTest, TryResultsReportWhatTheyDidToTheBreaker) {
  WebhookGate gate(options());
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kSuccess, start(gate, spec()), kNow),
            BreakerChange::kNone);
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kNeutral, start(gate, spec()), kNow),
            BreakerChange::kNone);
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kFailure, start(gate, spec()), kNow),
            BreakerChange::kCounted);
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kFailure, start(gate, spec()), kNow),
            BreakerChange::kCounted);
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kFailure, start(gate, spec()), kNow),
            BreakerChange::kOpened);
  EXPECT_EQ(gate.breaker().state(kNow), BreakerState::kOpen);
  const uint64_t probe = start(gate, spec(), kNow + 5000);
  EXPECT_EQ(gate.try_finished(BreakerVerdict::kSuccess, probe, kNow + 5100),
            BreakerChange::kClosed);
  EXPECT_TRUE(gate.breaker().clean());
}

TEST(WebhookGateTest, HoldsTheOldestUpToTheLimitWhoseLeaseOutlivesTheWait) {
  const WebhookGate gate(options());  // max_held_per_webhook = 2
  const int64_t resume_at = kNow + 5000;
  const int64_t margin = lease_margin_ms(spec());
  EXPECT_TRUE(gate.holds(spec(), 0, resume_at + margin + 1, resume_at));
  EXPECT_FALSE(gate.holds(spec(), 0, resume_at + margin, resume_at));  // would end in the margin
  EXPECT_TRUE(gate.holds(spec(), 1, kLongLease, resume_at));
  EXPECT_FALSE(gate.holds(spec(), 2, kLongLease, resume_at));
}

TEST(WebhookGateTest, ResetBreakerClosesIt) {
  WebhookGate gate = opened_at_now();
  gate.reset_breaker();
  EXPECT_TRUE(gate.breaker().clean());
  EXPECT_EQ(admit(gate, spec()), Admission::kStart);
}

TEST(WebhookGateTest, IdleOnlyWithNothingInFlightACleanBreakerAndAFullBucket) {
  WebhookGate gate(options());
  EXPECT_TRUE(gate.idle(kNow));
  start(gate, spec(10, 1));
  EXPECT_FALSE(gate.idle(kNow));  // a try in flight
  gate.try_finished(BreakerVerdict::kSuccess, 0, kNow);
  EXPECT_FALSE(gate.idle(kNow));  // the bucket refills
  EXPECT_TRUE(gate.idle(kNow + 1000));
  EXPECT_FALSE(opened_at_now().idle(kNow + 60000));  // a breaker worth remembering
}

TEST(WebhookGateTest, WakeUpIsScheduledOnlyWhenNoneAsEarlyIsPending) {
  WebhookGate gate(options());
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::seconds(100);
  EXPECT_TRUE(gate.wake_up_at(t0 + milliseconds(50)));
  EXPECT_FALSE(gate.wake_up_at(t0 + milliseconds(80)));  // the pending one comes first
  EXPECT_FALSE(gate.wake_up_at(t0 + milliseconds(50)));
  EXPECT_TRUE(gate.wake_up_at(t0 + milliseconds(20)));  // sooner
  gate.woken(t0 + milliseconds(10));                    // not due yet: still pending
  EXPECT_FALSE(gate.wake_up_at(t0 + milliseconds(30)));
  gate.woken(t0 + milliseconds(20));
  EXPECT_TRUE(gate.wake_up_at(t0 + milliseconds(80)));
}

// ---- over_cap: deliveries of one webhook waiting in memory

WebhookGate capped_at_20() {
  WebhookGateOptions capped = options();
  capped.max_waiting_per_webhook = 20;
  return WebhookGate(capped);
}

TEST(WebhookGateTest, DeliveriesWaitInMemoryUpToTheCapThenAreDueAgainNoSoonerThanTheFloor) {
  const WebhookGate gate = capped_at_20();
  EXPECT_EQ(gate.over_cap(0, spec(), kNow), std::nullopt);
  EXPECT_EQ(gate.over_cap(19, spec(), kNow), std::nullopt);
  // Nothing in flight and no pace known: the shortest wait.
  EXPECT_EQ(gate.over_cap(20, spec(), kNow), kNow + kMinDeferMs);
  EXPECT_EQ(gate.over_cap(500, spec(), kNow), kNow + kMinDeferMs);
}

TEST(WebhookGateTest, HungTriesMakeTheExcessDueWhenTheWaitingCouldHaveDrained) {
  WebhookGate gate = capped_at_20();
  const WebhookSpec ten = spec(/*max_in_flight=*/10);  // timeout 2 s
  for (int i = 0; i < 10; ++i) start(gate, ten);
  // Just started, none back yet (a burst, as like as a hang): the floor.
  EXPECT_EQ(gate.over_cap(20, ten, kNow + 10), kNow + 10 + kMinDeferMs);
  // Out 3 s without an answer: a round takes the timeout (2 s); 20 waiting are 3 rounds.
  EXPECT_EQ(gate.over_cap(20, ten, kNow + 3000), kNow + 3000 + 3 * 2000);
  // A long timeout counts for kMaxTryEstimateMs a round, and the whole wait stops at the ceiling.
  WebhookSpec slow = ten;
  slow.timeout_ms = 15000;
  EXPECT_EQ(gate.over_cap(20, slow, kNow + 30000), kNow + 30000 + 3 * kMaxTryEstimateMs);
  EXPECT_EQ(gate.over_cap(200, slow, kNow + 30000), kNow + 30000 + kMaxDeferMs);
  // Once one comes back, the pace counts: one a second, so 30 waiting take 30 s.
  gate.try_finished(BreakerVerdict::kFailure, 0, kNow + 31000);
  EXPECT_EQ(gate.over_cap(30, ten, kNow + 31500), kNow + 31500 + 30 * 1000);
}

TEST(WebhookGateTest, AFastWebhookKeepsWhatItDrainsInAboutTwoSeconds) {
  WebhookGate gate = capped_at_20();
  const WebhookSpec ten = spec(/*max_in_flight=*/10);
  for (int i = 0; i < 50; ++i) {
    start(gate, ten, kNow + 100);
    gate.try_finished(BreakerVerdict::kSuccess, 0, kNow + 200);
  }
  // 50 finished this second: the cap is 100, and the excess is due after 100 / 50 per second.
  EXPECT_EQ(gate.over_cap(99, ten, kNow + 500), std::nullopt);
  EXPECT_EQ(gate.over_cap(100, ten, kNow + 500), kNow + 500 + 2000);
  EXPECT_EQ(gate.over_cap(99, ten, kNow + 1999), std::nullopt);  // the second before counts
  // Once nothing finished for a whole second, the pace is forgotten: back to the configured cap.
  EXPECT_EQ(gate.over_cap(20, ten, kNow + 2000), kNow + 2000 + kMinDeferMs);
}

}  // namespace
}  // namespace hookline::delivery
