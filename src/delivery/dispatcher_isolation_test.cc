#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/dispatcher_fixture.h"
#include "delivery/webhook_gate.h"

// Isolation between webhooks (SPEC 7), end to end: the per-webhook in-flight limit, rate limit and
// circuit breaker, and a disabled webhook's hold. The gate's decisions alone are pinned by
// webhook_gate_test.cc.
namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

// The webhook was enabled again (delivery::Lifecycle::webhook_changed): waits until the store
// released what was held, and returns how many.
Result<int64_t> release_webhook_now(store::DeliveryQueue& queue, const std::string& webhook_id,
                                    int64_t now_ms) {
  std::promise<Result<int64_t>> released;
  queue.release_webhook(webhook_id, now_ms,
                        [&released](Result<int64_t> r) { released.set_value(std::move(r)); });
  return released.get_future().get();
}

// A receiver's script that answers `status` after `delay`, and remembers the most requests it was
// answering at once.
class ConcurrencyGauge {
 public:
  explicit ConcurrencyGauge(milliseconds delay, int status = 200)
      : delay_(delay), status_(status) {}

  TestReceiver::Script script() {
    return [this](const std::string&) {
      const int now_active = ++active_;
      int seen = most_.load();
      while (now_active > seen && !most_.compare_exchange_weak(seen, now_active)) {
      }
      std::this_thread::sleep_for(delay_);
      --active_;
      return respond(status_);
    };
  }
  int most() const { return most_.load(); }

 private:
  const milliseconds delay_;
  const int status_;
  std::atomic<int> active_ = 0;
  std::atomic<int> most_ = 0;
};

// Answers 500 while `failing`, 200 after.
TestReceiver::Script failing_while(const std::atomic<bool>& failing) {
  return [&failing](const std::string&) { return failing.load() ? respond(500) : respond(200); };
}

using DispatcherIsolationTest = DispatcherTest;  // the same fixture, its own suite

TEST_F(DispatcherIsolationTest, WebhookMaxInFlightHolds) {
  ConcurrencyGauge gauge(milliseconds(100));
  TestReceiver receiver(gauge.script());
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.max_in_flight = 2;
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 8; ++i) deliveries.push_back(committed(webhook));
  auto dispatcher = start(options());

  dispatcher->dispatch(deliveries);
  for (const Delivery& d : deliveries) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_EQ(gauge.most(), 2);
  EXPECT_EQ(receiver.requests().size(), 8u);
}

TEST_F(DispatcherIsolationTest, SlowWebhookNeverExceedsItsLimitNorHoldsUpOthers) {
  constexpr int kLimit = 3;
  std::atomic<int> active = 0;
  std::atomic<int> most_active = 0;
  TestReceiver slow([&](const std::string&) {
    const int now_active = ++active;
    int seen = most_active.load();
    while (now_active > seen && !most_active.compare_exchange_weak(seen, now_active)) {
    }
    std::this_thread::sleep_for(milliseconds(150));
    --active;
    return respond(200);
  });
  TestReceiver fast(always(200));
  const Webhook slow_webhook = make_webhook("wh_slow", slow.url());
  const Webhook fast_webhook = make_webhook("wh_fast", fast.url());
  store_.put_webhook(slow_webhook);
  store_.put_webhook(fast_webhook);
  std::vector<Delivery> slow_ones;
  std::vector<Delivery> fast_ones;
  std::vector<Delivery> all;
  for (int i = 0; i < 10; ++i) slow_ones.push_back(committed(slow_webhook));
  for (int i = 0; i < 5; ++i) fast_ones.push_back(committed(fast_webhook));
  all.insert(all.end(), slow_ones.begin(), slow_ones.end());
  all.insert(all.end(), fast_ones.begin(), fast_ones.end());
  // The operator's cap wins over the webhook's own max_in_flight (10 by default).
  DispatcherOptions limited = options();
  limited.max_in_flight_per_webhook = kLimit;
  auto dispatcher = start(std::move(limited));

  dispatcher->dispatch(all);  // the slow webhook's deliveries first in line
  for (const Delivery& delivery : all) {
    ASSERT_TRUE(reaches(delivery, DeliveryStatus::kSucceeded));
  }
  EXPECT_EQ(most_active.load(), kLimit);
  EXPECT_EQ(slow.requests().size(), 10u);

  // Every fast delivery was recorded before the slow webhook's second round finished.
  const std::vector<std::string> order = store_.recorded_order();
  ASSERT_EQ(order.size(), all.size());
  size_t slow_seen = 0;
  size_t slow_before_last_fast = 0;
  for (const std::string& id : order) {
    const bool is_fast = std::any_of(fast_ones.begin(), fast_ones.end(),
                                     [&](const Delivery& d) { return d.id == id; });
    if (is_fast) {
      slow_before_last_fast = slow_seen;
    } else {
      ++slow_seen;
    }
  }
  EXPECT_LE(slow_before_last_fast, static_cast<size_t>(kLimit));
}

TEST_F(DispatcherIsolationTest, RateLimitHoldsWithinTenPercent) {
  constexpr int kRate = 20;  // a token every 50 ms, and a burst of 20
  TestReceiver receiver(always(200));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.rate_limit_per_second = kRate;
  webhook.spec.max_in_flight = 100;  // the rate, not the slots, must be what holds
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < kRate + 2 * kRate + 10; ++i) deliveries.push_back(committed(webhook));
  auto dispatcher = start(options());

  dispatcher->dispatch(deliveries);
  for (const Delivery& d : deliveries) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));

  std::vector<int64_t> started;
  for (const Delivery& d : deliveries) started.push_back(store_.attempts(d.id).at(0).started_at);
  std::sort(started.begin(), started.end());
  const int64_t first = started.front();
  // The bucket never gives more than burst + rate * t over any span from the start (+1: a try's
  // started_at is read a moment after its token was taken, perhaps in the next millisecond).
  for (size_t i = 0; i < started.size(); ++i) {
    const int64_t allowed = kRate + kRate * (started[i] - first) / 1000 + 1;
    EXPECT_LE(static_cast<int64_t>(i + 1), allowed) << "try " << i << " at +" << started[i] - first;
  }
  // After the first burst, two seconds hold 40 tries, within 10%.
  const int64_t window_start = started[kRate];
  const auto in_window = std::count_if(started.begin(), started.end(), [&](int64_t at) {
    return at >= window_start && at < window_start + 2000;
  });
  EXPECT_GE(in_window, 36);
  EXPECT_LE(in_window, 44);
}

TEST_F(DispatcherIsolationTest, BreakerOpensAfterConsecutiveFailuresAndAProbeClosesIt) {
  std::atomic<bool> failing = true;
  TestReceiver receiver(failing_while(failing));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.max_in_flight = 1;  // tries one after another: exactly three fail
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 7; ++i) deliveries.push_back(committed(webhook));
  DispatcherOptions breaking = options();
  breaking.schedule = schedule_of("0s,1m");  // no retry within the test
  breaking.breaker.failure_threshold = 3;
  breaking.breaker.first_open = milliseconds(600);
  auto dispatcher = start(std::move(breaking));
  EXPECT_FALSE(dispatcher->breaker(webhook.id).has_value());

  dispatcher->dispatch(deliveries);
  ASSERT_TRUE(eventually([&] {
    const auto breaker = dispatcher->breaker(webhook.id);
    return breaker && breaker->state == "open";
  }));
  const BreakerSnapshot open = dispatcher->breaker(webhook.id).value();
  EXPECT_EQ(open.consecutive_failures, 3);
  EXPECT_GT(open.open_until_ms, clock_.now_ms());
  EXPECT_EQ(dispatcher->stats().breakers_open, 1);
  failing = false;  // the receiver is back, but nothing tells the breaker before the probe
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(receiver.requests().size(), 3u);

  for (size_t i = 3; i < deliveries.size(); ++i) {
    ASSERT_TRUE(reaches(deliveries[i], DeliveryStatus::kSucceeded)) << i;
    EXPECT_GE(store_.attempts(deliveries[i].id).at(0).started_at, open.open_until_ms) << i;
  }
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(status_of(deliveries[i]), DeliveryStatus::kRetrying);
  EXPECT_EQ(receiver.requests().size(), 7u);
  EXPECT_FALSE(dispatcher->breaker(webhook.id).has_value());  // closed and clean
  EXPECT_EQ(dispatcher->stats().breakers_open, 0);

  // The other nodes sharing the store heard of the opening and of the closing, in that order.
  ASSERT_TRUE(eventually([&] { return store_.shared_breakers().size() == 2; }));
  const std::vector<store::BreakerNews> news = store_.shared_breakers();
  EXPECT_EQ(news[0], (store::BreakerNews{.node_id = options().node_id,
                                         .webhook_id = webhook.id,
                                         .open = true,
                                         .open_until_ms = open.open_until_ms,
                                         .interval_ms = 600,
                                         .consecutive_failures = 3}));
  EXPECT_EQ(news[1], (store::BreakerNews{.node_id = options().node_id, .webhook_id = webhook.id}));
}

TEST_F(DispatcherIsolationTest, BreakerOpenedByAnotherNodeHoldsTriesUntilThatNodeClosesIt) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  auto dispatcher = start(options());
  // This node's own news, heard back, changes nothing.
  dispatcher->breaker_shared({.node_id = options().node_id,
                              .webhook_id = webhook.id,
                              .open = true,
                              .open_until_ms = clock_.now_ms() + 60'000,
                              .interval_ms = 60'000,
                              .consecutive_failures = 5});
  const Delivery first = committed(webhook);
  dispatcher->dispatch({first});
  ASSERT_TRUE(reaches(first, DeliveryStatus::kSucceeded));

  dispatcher->breaker_shared({.node_id = "node-elsewhere",
                              .webhook_id = webhook.id,
                              .open = true,
                              .open_until_ms = clock_.now_ms() + 60'000,
                              .interval_ms = 60'000,
                              .consecutive_failures = 5});
  ASSERT_TRUE(eventually([&] { return dispatcher->breaker(webhook.id).has_value(); }));
  const BreakerSnapshot held = dispatcher->breaker(webhook.id).value();
  EXPECT_EQ(held.state, "open");
  EXPECT_EQ(held.consecutive_failures, 5);
  EXPECT_GE(held.open_until_ms, clock_.now_ms() + 60'000);
  const Delivery second = committed(webhook);
  dispatcher->dispatch({second});
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(receiver.requests().size(), 1u) << "a try went out while another node's breaker held";

  dispatcher->breaker_shared({.node_id = "node-elsewhere", .webhook_id = webhook.id});
  ASSERT_TRUE(reaches(second, DeliveryStatus::kSucceeded));
  EXPECT_FALSE(dispatcher->breaker(webhook.id).has_value());
  // News heard is not told again: only a node's own changes are shared, here its first success
  // of the run (a close, which ends a failing spell an earlier run may have left in the store).
  const std::vector<store::BreakerNews> told = store_.shared_breakers();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], (store::BreakerNews{.node_id = options().node_id, .webhook_id = webhook.id}));
}

TEST_F(DispatcherIsolationTest, HalfOpenBreakerLetsOneProbeThroughAndAFailedProbeReopensItLonger) {
  TestReceiver receiver(always(500));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.max_in_flight = 4;
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 10; ++i) deliveries.push_back(committed(webhook));
  DispatcherOptions breaking = options();
  breaking.schedule = schedule_of("0s,1m");
  breaking.breaker.failure_threshold = 1;
  breaking.breaker.first_open = milliseconds(400);
  auto dispatcher = start(std::move(breaking));

  dispatcher->dispatch(deliveries);
  // Four in flight at once all fail; the first failure opened the breaker for 400 ms (with a
  // higher threshold a slot freed by the first failure would start a fifth try first).
  ASSERT_TRUE(eventually([&] { return store_.recorded_order().size() == 4; }));
  const int64_t first_open_until = dispatcher->breaker(webhook.id).value().open_until_ms;
  // Then a single probe, though three more slots are free; it fails and reopens for 800 ms.
  ASSERT_TRUE(eventually([&] { return store_.recorded_order().size() == 5; }));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(receiver.requests().size(), 5u);
  const BreakerSnapshot reopened = dispatcher->breaker(webhook.id).value();
  EXPECT_EQ(reopened.state, "open");
  EXPECT_EQ(reopened.consecutive_failures, 5);
  const Attempt probe = store_.attempts(store_.recorded_order().at(4)).at(0);
  EXPECT_GE(probe.started_at, first_open_until);
  EXPECT_GE(reopened.open_until_ms - (probe.started_at + probe.duration_ms), 800 - 5);
  EXPECT_LE(reopened.open_until_ms - probe.started_at, 800 + 50);
  // The next probe comes when that ends, alone again.
  ASSERT_TRUE(eventually([&] { return store_.recorded_order().size() == 6; }));
  EXPECT_GE(store_.attempts(store_.recorded_order().at(5)).at(0).started_at,
            reopened.open_until_ms);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(receiver.requests().size(), 6u);
}

TEST_F(DispatcherIsolationTest, OpenBreakerHoldsAFewAndReleasesTheRestUntilItEndsWithoutChurn) {
  std::atomic<bool> failing = true;
  TestReceiver receiver(failing_while(failing));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.max_in_flight = 1;
  store_.put_webhook(webhook);
  DispatcherOptions breaking = options();
  breaking.schedule = schedule_of("0s,1m");
  breaking.breaker.failure_threshold = 1;
  breaking.breaker.first_open = milliseconds(1500);
  breaking.max_held_per_webhook = 2;
  auto dispatcher = start(std::move(breaking));

  const Delivery opener = committed(webhook);
  dispatcher->dispatch({opener});
  ASSERT_TRUE(eventually([&] { return dispatcher->breaker(webhook.id).has_value(); }));
  const int64_t open_until = dispatcher->breaker(webhook.id).value().open_until_ms;
  failing = false;
  std::vector<Delivery> later;
  for (int i = 0; i < 5; ++i) later.push_back(committed(webhook));
  dispatcher->dispatch(later);

  // Two wait in memory, leased; three go back to the store, due when the breaker opens up.
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().released == 3; }));
  const auto check_held = [&] {
    for (size_t i = 0; i < later.size(); ++i) {
      const FakeStore::Row row = store_.row(later[i].id).value();
      if (i < 2) {
        EXPECT_TRUE(row.leased()) << i;
      } else {
        EXPECT_FALSE(row.leased()) << i;
        EXPECT_EQ(row.delivery.next_attempt_at, open_until) << i;
      }
    }
  };
  ASSERT_TRUE(eventually([&] { return !store_.row(later[4].id)->leased(); }));
  check_held();
  // No churn: nothing is claimed or released again while the breaker is open.
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_LT(clock_.now_ms(), open_until);
  check_held();
  EXPECT_EQ(dispatcher->stats().released, 3);
  EXPECT_EQ(dispatcher->stats().queued, 2);
  EXPECT_EQ(receiver.requests().size(), 1u);

  for (const Delivery& d : later) {
    ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
    EXPECT_GE(store_.attempts(d.id).at(0).started_at, open_until);
  }
  EXPECT_EQ(receiver.requests().size(), 6u);
}

TEST_F(DispatcherIsolationTest, HeldDeliveryWhoseLeaseEndsBeforeTheBreakerDoesIsReleasedUntilThen) {
  TestReceiver receiver(always(503));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  DispatcherOptions breaking = options();
  breaking.schedule = schedule_of("0s,1m");
  breaking.breaker.failure_threshold = 1;
  // Open longer than the lease margin, so a lease can end inside the open interval and still be
  // long enough to start a try on.
  breaking.breaker.first_open = std::chrono::milliseconds(lease_margin_ms(webhook.spec) + 50'000);
  breaking.breaker.max_open = breaking.breaker.first_open;
  auto dispatcher = start(std::move(breaking));

  const Delivery opener = committed(webhook);
  dispatcher->dispatch({opener});
  ASSERT_TRUE(eventually([&] { return dispatcher->breaker(webhook.id).has_value(); }));
  const int64_t open_until = dispatcher->breaker(webhook.id).value().open_until_ms;
  const Delivery long_lease = committed(webhook);
  Delivery short_lease = make_delivery(
      webhook, clock_.now_ms() + lease_margin_ms(webhook.spec) + 20'000);  // ends in the open
  store_.put_delivery(short_lease, true);
  dispatcher->dispatch({long_lease, short_lease});

  ASSERT_TRUE(eventually([&] { return !store_.row(short_lease.id)->leased(); }));
  EXPECT_EQ(store_.row(short_lease.id)->delivery.next_attempt_at, open_until);
  EXPECT_TRUE(store_.row(long_lease.id)->leased());
  EXPECT_EQ(dispatcher->stats().released, 1);
  EXPECT_EQ(dispatcher->stats().queued, 1);
}

TEST_F(DispatcherIsolationTest, FailingReceiversDoNotSlowHealthyOnes) {
  constexpr int kEach = 20;
  TestReceiver hanging([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  TestReceiver erroring(always(500));
  std::vector<std::unique_ptr<TestReceiver>> healthy;
  for (int i = 0; i < 8; ++i) healthy.push_back(std::make_unique<TestReceiver>(always(200)));

  const Webhook hanging_webhook = make_webhook("wh_hang", hanging.url());
  const Webhook erroring_webhook = make_webhook("wh_500", erroring.url());
  store_.put_webhook(hanging_webhook);
  store_.put_webhook(erroring_webhook);
  std::vector<Webhook> healthy_webhooks;
  for (int i = 0; i < 8; ++i) {
    healthy_webhooks.push_back(make_webhook("wh_ok" + std::to_string(i), healthy[i]->url()));
    store_.put_webhook(healthy_webhooks.back());
  }
  // The faulty webhooks' deliveries first in line, then the healthy ones interleaved.
  std::vector<Delivery> all;
  std::vector<Delivery> hanging_ones;
  std::vector<Delivery> healthy_ones;
  for (int i = 0; i < kEach; ++i) hanging_ones.push_back(committed(hanging_webhook));
  for (int i = 0; i < kEach; ++i) all.push_back(committed(erroring_webhook));
  for (int i = 0; i < kEach; ++i) {
    for (const Webhook& webhook : healthy_webhooks) healthy_ones.push_back(committed(webhook));
  }
  all.insert(all.begin(), hanging_ones.begin(), hanging_ones.end());
  all.insert(all.end(), healthy_ones.begin(), healthy_ones.end());
  auto dispatcher = start(options());

  const auto started = std::chrono::steady_clock::now();
  dispatcher->dispatch(all);
  for (const Delivery& d : healthy_ones) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

  // Meanwhile the faulty ones are stuck: the hanging receiver holds its ten slots, the erroring
  // one's breaker is open after five failures in a row.
  ASSERT_TRUE(eventually([&] { return hanging.requests().size() == 10; }));
  for (const Delivery& d : hanging_ones) EXPECT_TRUE(store_.attempts(d.id).empty());
  ASSERT_TRUE(eventually([&] { return dispatcher->breaker(erroring_webhook.id).has_value(); }));
  const BreakerSnapshot breaker = dispatcher->breaker(erroring_webhook.id).value();
  EXPECT_EQ(breaker.state, "open");
  EXPECT_GE(breaker.consecutive_failures, 5);
  // One window of ten, and the slots the first four failures freed before the fifth opened it;
  // then nothing until the probe.
  const size_t erroring_requests = erroring.requests().size();
  EXPECT_GE(erroring_requests, 10u);
  EXPECT_LE(erroring_requests, 14u);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(erroring.requests().size(), erroring_requests);
  EXPECT_EQ(dispatcher->stats().breakers_open, 1);
  for (const Webhook& webhook : healthy_webhooks) {
    EXPECT_FALSE(dispatcher->breaker(webhook.id).has_value());
  }
}

TEST_F(DispatcherIsolationTest, HangingWebhookKeepsOnlyItsCapInMemoryAndHealthyOnesFlow) {
  constexpr int kHanging = 500;
  TestReceiver hanging([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  TestReceiver ok_a(always(200));
  TestReceiver ok_b(always(200));
  Webhook hanging_webhook = make_webhook("wh_hang", hanging.url());
  hanging_webhook.spec.timeout_ms = 10000;  // no try of it ends within the test
  const Webhook healthy_a = make_webhook("wh_ok_a", ok_a.url());
  const Webhook healthy_b = make_webhook("wh_ok_b", ok_b.url());
  for (const Webhook& w : {hanging_webhook, healthy_a, healthy_b}) store_.put_webhook(w);
  std::vector<Delivery> hanging_ones;
  std::vector<Delivery> healthy_ones;
  for (int i = 0; i < kHanging; ++i) hanging_ones.push_back(committed(hanging_webhook));
  for (int i = 0; i < 50; ++i) {
    healthy_ones.push_back(committed(healthy_a));
    healthy_ones.push_back(committed(healthy_b));
  }
  DispatcherOptions capped = options();
  capped.max_waiting_per_webhook = 200;
  // Without the per-webhook cap the hanging webhook alone would fill memory, and the healthy ones
  // would wait in the store until its tries timed out.
  capped.max_queued = 400;
  auto dispatcher = start(std::move(capped));

  const auto started = std::chrono::steady_clock::now();
  dispatcher->dispatch(hanging_ones);
  dispatcher->dispatch(healthy_ones);  // after the hanging ones
  for (const Delivery& d : healthy_ones) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  // Ten in flight, 200 waiting in memory (leased), the rest back in the store, due far enough
  // ahead that the poller does not claim them again in a loop (the first release is due in 1 s,
  // before any try could tell how long the webhook takes; the next is a round per ten waiting).
  const auto released_far_ahead = [&] {
    const int64_t far = clock_.now_ms() + 10'000;
    return std::count_if(hanging_ones.begin(), hanging_ones.end(), [&](const Delivery& d) {
      const FakeStore::Row row = store_.row(d.id).value();
      return !row.leased() && row.delivery.next_attempt_at >= far;
    });
  };
  ASSERT_TRUE(eventually([&] { return released_far_ahead() == kHanging - 200 - 10; }));
  EXPECT_EQ(dispatcher->stats().queued, 200);
  EXPECT_EQ(dispatcher->stats().in_flight, 10);
  const int64_t released = dispatcher->stats().released;
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(dispatcher->stats().released, released);  // no claim/release churn
  EXPECT_EQ(released_far_ahead(), kHanging - 200 - 10);
  EXPECT_EQ(hanging.requests().size(), 10u);
  for (const Delivery& d : hanging_ones) EXPECT_TRUE(store_.attempts(d.id).empty());
}

// A webhook that had to give deliveries back asks ingest to leave its next ones in the store
// (fresh_due_instead), due when it could take them, until half its room is back; other webhooks
// are handed theirs all along.
TEST_F(DispatcherIsolationTest, AFullWebhookTakesNoFreshDeliveriesUntilItDrains) {
  std::atomic<bool> holding = true;
  TestReceiver slow([&](const std::string&) {
    while (holding) std::this_thread::sleep_for(milliseconds(5));
    return respond(200);
  });
  // Whatever happens below, the receiver's held calls end before it stops.
  const std::shared_ptr<void> let_go(nullptr, [&holding](void*) { holding = false; });
  TestReceiver ok(always(200));
  Webhook slow_webhook = make_webhook("wh_slow", slow.url());
  slow_webhook.spec.max_in_flight = 2;
  const Webhook other = make_webhook("wh_other", ok.url());
  store_.put_webhook(slow_webhook);
  store_.put_webhook(other);
  std::vector<Delivery> backlog;
  for (int i = 0; i < 60; ++i) backlog.push_back(committed(slow_webhook));
  DispatcherOptions capped = options();
  capped.max_waiting_per_webhook = 20;
  auto dispatcher = start(std::move(capped));
  EXPECT_FALSE(dispatcher->fresh_due_instead(slow_webhook.id).has_value());

  dispatcher->dispatch(backlog);
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().released == 60 - 20; }));
  const std::optional<int64_t> due = dispatcher->fresh_due_instead(slow_webhook.id);
  ASSERT_TRUE(due.has_value());
  EXPECT_GE(*due, clock_.now_ms() + kMinDeferMs - 100);  // as its released deliveries are
  EXPECT_FALSE(dispatcher->fresh_due_instead(other.id).has_value());
  const Delivery fresh = committed(other);
  dispatcher->dispatch({fresh});
  ASSERT_TRUE(reaches(fresh, DeliveryStatus::kSucceeded));

  holding = false;
  ASSERT_TRUE(
      eventually([&] { return !dispatcher->fresh_due_instead(slow_webhook.id).has_value(); }));
  for (const Delivery& d : backlog) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
}

// A receiver that pauses makes its webhook look hung: what comes meanwhile goes back to the store
// due far ahead, by the pace seen during the pause. Once the receiver answers again and the webhook
// drains, those deliveries are made due at once (DeliveryQueue::hasten), not left until then.
TEST_F(DispatcherIsolationTest, DeliveriesDeferredDuringAPauseAreDueAgainOnceTheWebhookDrains) {
  std::atomic<bool> holding = true;
  TestReceiver paused([&](const std::string&) {
    while (holding) std::this_thread::sleep_for(milliseconds(5));
    return respond(200);
  });
  const std::shared_ptr<void> let_go(nullptr, [&holding](void*) { holding = false; });
  Webhook webhook = make_webhook("wh_paused", paused.url());
  webhook.spec.max_in_flight = 2;
  store_.put_webhook(webhook);
  DispatcherOptions capped = options();
  capped.max_waiting_per_webhook = 20;
  auto dispatcher = start(std::move(capped));

  // Two calls out, then twenty waiting: the webhook's cap.
  std::vector<Delivery> first;
  for (int i = 0; i < 22; ++i) first.push_back(committed(webhook));
  dispatcher->dispatch({first[0], first[1]});
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().in_flight == 2; }));
  dispatcher->dispatch({first.begin() + 2, first.end()});
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().queued == 20; }));
  ASSERT_EQ(dispatcher->stats().released, 0);
  // A second into the pause, the webhook's pace says a round of its two calls takes a second:
  // the next ones go back due in (20 waiting / 2 + 1) rounds, about 11 s.
  std::this_thread::sleep_for(milliseconds(1000));
  std::vector<Delivery> more;
  for (int i = 0; i < 40; ++i) more.push_back(committed(webhook));
  dispatcher->dispatch(more);
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().released == 40; }));
  const int64_t resumed_at = clock_.now_ms();
  for (const Delivery& d : more) {
    const FakeStore::Row row = store_.row(d.id).value();
    ASSERT_FALSE(row.leased());
    ASSERT_GE(row.delivery.next_attempt_at, resumed_at + 5'000);
  }
  EXPECT_TRUE(store_.hastened().empty());

  holding = false;
  for (const Delivery& d : first) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  for (const Delivery& d : more) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_LT(clock_.now_ms() - resumed_at, 4'000);
  // Each made due once, as many at a time as the webhook had room for: none went back again.
  const std::vector<int64_t> hastened = store_.hastened();
  EXPECT_EQ(std::accumulate(hastened.begin(), hastened.end(), int64_t{0}), 40);
  EXPECT_EQ(dispatcher->stats().released, 40);
  EXPECT_EQ(paused.requests().size(), 62u);
}

TEST_F(DispatcherIsolationTest, DisabledWebhookLeavesItsDeliveriesLeased) {
  TestReceiver receiver(always(200));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.enabled = false;
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().left_to_lease == 1; }));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_TRUE(receiver.requests().empty());
  const FakeStore::Row row = store_.row(delivery.id).value();
  EXPECT_TRUE(row.leased());
  EXPECT_EQ(row.delivery.status, DeliveryStatus::kPending);
  EXPECT_TRUE(store_.attempts(delivery.id).empty());
}

TEST_F(DispatcherIsolationTest, DisabledWebhookHoldsItsDeliveriesUntilEnabledAgain) {
  TestReceiver receiver(always(200));
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.enabled = false;
  store_.put_webhook(webhook);
  const std::vector<Delivery> deliveries = {committed(webhook), committed(webhook)};
  DispatcherOptions long_cache = options();
  long_cache.webhook_cache_ttl = std::chrono::minutes(5);
  auto dispatcher = start(std::move(long_cache));

  dispatcher->dispatch(deliveries);
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().left_to_lease == 2; }));
  std::this_thread::sleep_for(milliseconds(200));  // held, not claimed again nor released
  EXPECT_EQ(dispatcher->stats().left_to_lease, 2);
  EXPECT_EQ(dispatcher->stats().released, 0);
  for (const Delivery& d : deliveries) EXPECT_TRUE(store_.row(d.id)->leased());
  EXPECT_TRUE(receiver.requests().empty());

  // What the API does on enabling, in its order: store the change, tell the dispatcher, then
  // release the held deliveries. Told first, the dispatcher cannot claim them with the old
  // (disabled) configuration still cached.
  webhook.spec.enabled = true;
  store_.put_webhook(webhook);
  dispatcher->webhook_changed(webhook.id);
  const Result<int64_t> released = release_webhook_now(store_, webhook.id, clock_.now_ms());
  ASSERT_TRUE(released.has_value());
  EXPECT_EQ(*released, 2);
  for (const Delivery& d : deliveries) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_EQ(receiver.requests().size(), 2u);
}

}  // namespace
}  // namespace hookline::delivery
