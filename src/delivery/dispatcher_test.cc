#include "delivery/dispatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "delivery/dispatcher_fixture.h"
#include "delivery/webhook_gate.h"

// The dispatcher end to end against TestReceivers: what is sent and recorded, retries, claims and
// leases, shutdown. Isolation between webhooks is in dispatcher_isolation_test.cc.
namespace hookline::delivery {
namespace {
namespace json = boost::json;

using std::chrono::milliseconds;

// The value of a header in a raw request, or "<absent>".
std::string header_in(const std::string& raw, std::string_view name) {
  const std::string head = lower(raw.substr(0, raw.find("\r\n\r\n")));
  const std::string key = "\r\n" + lower(std::string(name)) + ": ";
  const size_t at = head.find(key);
  if (at == std::string::npos) return "<absent>";
  const size_t start = at + key.size();
  return raw.substr(start, head.find("\r\n", start) - start);
}

std::string body_of(const std::string& raw) { return raw.substr(raw.find("\r\n\r\n") + 4); }

TEST_F(DispatcherTest, FreshDeliveryIsSentSignedAndRecordedSucceeded) {
  TestReceiver receiver(always(200, "thanks", "X-Reply: yes\r\n"));
  Webhook webhook = make_webhook("wh_1", receiver.url("/billing"));
  webhook.spec.auth = TokenAuth{"s3cret-token", "Authorization", "Bearer"};
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kSucceeded));

  const std::vector<std::string> seen = receiver.requests();
  ASSERT_EQ(seen.size(), 1u);
  const std::string& raw = seen[0];
  EXPECT_TRUE(raw.starts_with("POST /billing HTTP/1.1\r\n")) << raw;
  EXPECT_EQ(body_of(raw), delivery.body);
  EXPECT_EQ(header_in(raw, "webhook-id"), delivery.id);
  EXPECT_EQ(header_in(raw, "Authorization"), "Bearer s3cret-token");
  EXPECT_EQ(header_in(raw, "Content-Type"), "application/json;charset=UTF-8");
  const int64_t timestamp = std::stoll(header_in(raw, "webhook-timestamp"));
  EXPECT_NEAR(timestamp, clock_.now_ms() / 1000, 5);
  EXPECT_EQ(header_in(raw, "webhook-signature"),
            outbound::sign(webhook.secret, delivery.id, timestamp, delivery.body).value());

  const FakeStore::Row row = store_.row(delivery.id).value();
  EXPECT_FALSE(row.leased());
  EXPECT_EQ(row.delivery.attempts, 1);
  EXPECT_EQ(row.delivery.last_status, 200);
  const std::vector<Attempt> attempts = store_.attempts(delivery.id);
  ASSERT_EQ(attempts.size(), 1u);
  const Attempt& attempt = attempts[0];
  EXPECT_EQ(attempt.number, 1);
  EXPECT_EQ(attempt.request_method, "POST");
  EXPECT_EQ(attempt.request_url, receiver.url("/billing"));
  const json::object shown = json::parse(attempt.request_headers).as_object();
  EXPECT_EQ(shown.at("webhook-id").as_string(), delivery.id);
  EXPECT_EQ(shown.at("Authorization").as_string(), "Bearer ****");
  EXPECT_EQ(attempt.request_headers.find("s3cret"), std::string::npos);
  EXPECT_EQ(attempt.response_status, 200);
  EXPECT_EQ(attempt.response_body, "thanks");
  EXPECT_EQ(json::parse(attempt.response_headers).at("X-Reply").as_string(), "yes");
  EXPECT_TRUE(attempt.error_code.empty());
  EXPECT_GE(attempt.started_at, delivery.created_at);

  const DispatcherStats stats = dispatcher->stats();
  EXPECT_EQ(stats.succeeded, 1);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.dead, 0);
}

// Work another node made due (a release, a requeue) is claimed when the store says so, not at
// the next poll: here the poll is 30 s away.
TEST_F(DispatcherTest, WorkDueThroughAnotherNodeIsClaimedWithoutWaitingForThePoll) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  Delivery first = make_delivery(webhook, clock_.now_ms());
  store_.put_delivery(first, /*leased=*/false);
  DispatcherOptions slow_poll = options();
  slow_poll.poll_interval = std::chrono::seconds(30);
  auto dispatcher = start(std::move(slow_poll));
  ASSERT_TRUE(reaches(first, DeliveryStatus::kSucceeded));  // the claim at start

  Delivery released = make_delivery(webhook, clock_.now_ms());
  store_.put_delivery(released, /*leased=*/false);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(status_of(released), DeliveryStatus::kPending) << "claimed before it was told";
  const auto told = std::chrono::steady_clock::now();
  dispatcher->work_due();
  ASSERT_TRUE(reaches(released, DeliveryStatus::kSucceeded));
  EXPECT_LT(std::chrono::steady_clock::now() - told, std::chrono::seconds(5));
}

TEST_F(DispatcherTest, ServerErrorIsRetriedOnTheScheduleUntilSuccess) {
  std::atomic<int> calls = 0;
  TestReceiver receiver(
      [&](const std::string&) { return ++calls == 1 ? respond(500, "down") : respond(200, "ok"); });
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kSucceeded));

  const std::vector<Attempt> attempts = store_.attempts(delivery.id);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].response_status, 500);
  EXPECT_EQ(attempts[0].response_body, "down");
  EXPECT_EQ(attempts[1].number, 2);
  EXPECT_EQ(attempts[1].response_status, 200);
  // The second try waited for the schedule's 50 ms, less at most 20% of jitter.
  EXPECT_GE(attempts[1].started_at - attempts[0].started_at, 40);
  EXPECT_EQ(store_.row(delivery.id)->delivery.attempts, 2);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(dispatcher->stats().failed, 1);
  EXPECT_EQ(dispatcher->stats().succeeded, 1);
}

TEST_F(DispatcherTest, ClientErrorIsDeadAfterOneTry) {
  TestReceiver receiver(always(404, "no such hook"));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kDead));
  std::this_thread::sleep_for(milliseconds(150));  // three schedule steps: nothing more comes
  EXPECT_EQ(store_.attempts(delivery.id).size(), 1u);
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(store_.row(delivery.id)->delivery.last_status, 404);
  EXPECT_EQ(dispatcher->stats().dead, 1);
}

// 410 Gone: that delivery is dead, the webhook is disabled, and what comes for it later waits
// unsent (held, leased) instead of being tried against a receiver that said it is gone.
TEST_F(DispatcherTest, GoneReceiverDisablesTheWebhookAndHoldsTheRest) {
  TestReceiver receiver(always(410, "gone"));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery first = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({first});
  ASSERT_TRUE(reaches(first, DeliveryStatus::kDead));
  auto stored = store_.get_webhook(webhook.workspace_id, webhook.id);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->spec.enabled);
  EXPECT_EQ(stored->disabled_reason, "gone");

  const Delivery later = committed(webhook);
  dispatcher->dispatch({later});
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(receiver.requests().size(), 1u) << "a disabled webhook makes no call";
  EXPECT_EQ(store_.row(later.id)->delivery.status, DeliveryStatus::kPending);
  EXPECT_TRUE(store_.attempts(later.id).empty());
}

// A receiver whose every try and probe fails for disable_failing_after: the webhook is disabled
// ("failing"), counting from the breaker's first opening, not from its latest.
TEST_F(DispatcherTest, FailingForTheSetTimeDisablesTheWebhook) {
  TestReceiver receiver(always(500));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  DispatcherOptions failing = options();
  failing.schedule = schedule_of("0s,10ms,10ms,10ms,10ms,10ms,10ms,10ms,10ms,10ms,10ms,10ms");
  failing.breaker = {
      .failure_threshold = 1, .first_open = milliseconds(100), .max_open = milliseconds(100)};
  failing.disable_failing_after_ms = 350;
  const int64_t started = clock_.now_ms();
  auto dispatcher = start(failing);

  dispatcher->dispatch({committed(webhook)});
  ASSERT_TRUE(eventually([&] {
    auto stored = store_.get_webhook(webhook.workspace_id, webhook.id);
    return stored && !stored->spec.enabled;
  }));
  const Webhook stored = store_.get_webhook(webhook.workspace_id, webhook.id).value();
  EXPECT_EQ(stored.disabled_reason, "failing");
  EXPECT_GE(stored.disabled_at - started, 350) << "disabled before the spell was long enough";
  EXPECT_GE(receiver.requests().size(), 4u) << "the first try and at least three probes";
}

// The failing spell is the store's: a run that starts with one already long enough disables the
// webhook at the breaker's first opening, while a first success ends it.
TEST_F(DispatcherTest, AFailingSpellOfAnEarlierRunCountsUntilASuccess) {
  TestReceiver failing_receiver(always(500));
  TestReceiver working_receiver(always(200));
  const Webhook failing = make_webhook("wh_failing", failing_receiver.url());
  const Webhook working = make_webhook("wh_working", working_receiver.url());
  store_.put_webhook(failing);
  store_.put_webhook(working);
  const int64_t days_ago = clock_.now_ms() - 10LL * 24 * 3600 * 1000;
  store_.set_failing_since(failing.id, days_ago);
  store_.set_failing_since(working.id, days_ago);
  DispatcherOptions restarted = options();
  restarted.breaker.failure_threshold = 1;
  auto dispatcher = start(restarted);  // disable_failing_after_ms: the default, 5 days

  const Delivery to_failing = committed(failing);
  const Delivery to_working = committed(working);
  dispatcher->dispatch({to_failing, to_working});
  ASSERT_TRUE(eventually(
      [&] { return !store_.get_webhook(failing.workspace_id, failing.id).value().spec.enabled; }));
  EXPECT_EQ(store_.get_webhook(failing.workspace_id, failing.id)->disabled_reason, "failing");
  ASSERT_TRUE(reaches(to_working, DeliveryStatus::kSucceeded));
  // The working one's success ended its spell: failing from now on starts a new one.
  ASSERT_TRUE(eventually([&] { return store_.failing_since(working.id) == 0; }));
  EXPECT_TRUE(store_.get_webhook(working.workspace_id, working.id)->spec.enabled);
}

TEST_F(DispatcherTest, ScheduleUsedUpIsDead) {
  TestReceiver receiver(always(500));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kDead));
  const std::vector<Attempt> attempts = store_.attempts(delivery.id);
  ASSERT_EQ(attempts.size(), 3u);  // one round of "0s,50ms,50ms"
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(attempts[static_cast<size_t>(i)].number, i + 1);
    EXPECT_EQ(attempts[static_cast<size_t>(i)].response_status, 500);
  }
  EXPECT_EQ(receiver.requests().size(), 3u);
  const DispatcherStats stats = dispatcher->stats();
  EXPECT_EQ(stats.failed, 3);
  EXPECT_EQ(stats.dead, 1);
}

TEST_F(DispatcherTest, TransportErrorsAreRetriedAndNamed) {
  // A port that was just free on 127.0.0.1: nothing listens there.
  std::string url;
  {
    TestReceiver gone(always(200));
    url = gone.url();
  }
  const Webhook webhook = make_webhook("wh_1", url);
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kDead));
  const std::vector<Attempt> attempts = store_.attempts(delivery.id);
  ASSERT_EQ(attempts.size(), 3u);
  for (const Attempt& attempt : attempts) {
    EXPECT_EQ(attempt.error_code, "connect_refused");
    EXPECT_FALSE(attempt.error_message.empty());
    EXPECT_FALSE(attempt.response_status.has_value());
  }
  EXPECT_EQ(store_.row(delivery.id)->delivery.last_error, "connect_refused");
}

TEST_F(DispatcherTest, RetryAfterOfA429SetsTheNextTry) {
  TestReceiver receiver(always(429, "", "Retry-After: 30\r\n"));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kRetrying));
  const Attempt attempt = store_.attempts(delivery.id).at(0);
  const int64_t next = store_.row(delivery.id)->delivery.next_attempt_at;
  // 30 s as asked (never less), not the schedule's 50 ms.
  EXPECT_GE(next, attempt.started_at + 30000);
  EXPECT_LE(next, attempt.started_at + attempt.duration_ms + 36000 + 1000);
}

TEST_F(DispatcherTest, ClaimedDeliveriesAreSentAndFutureOnesWait) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  // Left by a previous run, or retries that fell due: in the store, not leased.
  const int64_t now = clock_.now_ms();
  Delivery due_now = make_delivery(webhook, now - 1000);
  Delivery retry_due = make_delivery(webhook, now);
  retry_due.status = DeliveryStatus::kRetrying;
  retry_due.attempts = 1;
  Delivery later = make_delivery(webhook, now + 3600000);
  for (Delivery* d : {&due_now, &retry_due, &later}) store_.put_delivery(*d, false);
  auto dispatcher = start(options());

  ASSERT_TRUE(reaches(due_now, DeliveryStatus::kSucceeded));
  ASSERT_TRUE(reaches(retry_due, DeliveryStatus::kSucceeded));
  EXPECT_EQ(store_.attempts(retry_due.id).at(0).number, 2);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(status_of(later), DeliveryStatus::kPending);
  EXPECT_FALSE(store_.row(later.id)->leased());
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST_F(DispatcherTest, ShutdownRecordsWhatIsInFlightAndReleasesWhatWaits) {
  TestReceiver receiver([](const std::string&) {
    std::this_thread::sleep_for(milliseconds(300));
    return respond(200);
  });
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 4; ++i) deliveries.push_back(committed(webhook));
  DispatcherOptions one_at_a_time = options();
  one_at_a_time.max_in_flight_per_webhook = 1;
  auto dispatcher = start(std::move(one_at_a_time));

  dispatcher->dispatch(deliveries);
  ASSERT_TRUE(eventually([&] { return receiver.requests().size() == 1; }));
  const int64_t before = clock_.now_ms();
  dispatcher->shutdown(std::chrono::seconds(5));

  EXPECT_EQ(status_of(deliveries[0]), DeliveryStatus::kSucceeded);
  for (size_t i = 1; i < deliveries.size(); ++i) {
    const FakeStore::Row row = store_.row(deliveries[i].id).value();
    EXPECT_FALSE(row.leased()) << i;
    EXPECT_EQ(row.delivery.status, DeliveryStatus::kPending) << i;
    EXPECT_EQ(row.delivery.attempts, 0) << i;
    EXPECT_GE(row.delivery.next_attempt_at, before) << i;
    EXPECT_LE(row.delivery.next_attempt_at, clock_.now_ms()) << i;  // due now
  }
  EXPECT_EQ(receiver.requests().size(), 1u);
  const DispatcherStats stats = dispatcher->stats();
  EXPECT_EQ(stats.released, 3);
  EXPECT_EQ(stats.succeeded, 1);
  EXPECT_EQ(stats.in_flight, 0);
  EXPECT_EQ(stats.queued, 0);

  // Later hand-overs are ignored: the lease brings them back.
  const Delivery late = committed(webhook);
  dispatcher->dispatch({late});
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(store_.row(late.id)->leased());
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(DispatcherTest, TryOutlastingTheGraceStaysLeased) {
  TestReceiver receiver([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(eventually([&] { return receiver.requests().size() == 1; }));
  const auto started = std::chrono::steady_clock::now();
  dispatcher->shutdown(milliseconds(100));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_TRUE(store_.row(delivery.id)->leased());
  EXPECT_TRUE(store_.attempts(delivery.id).empty());
  EXPECT_EQ(dispatcher->stats().in_flight, 1);
}

TEST_F(DispatcherTest, DeletedWebhookMakesItsDeliveriesDead) {
  const Webhook webhook = make_webhook("wh_gone", "http://127.0.0.1:9/never");
  const Delivery first = committed(webhook);
  const Delivery second = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({first, second});
  for (const Delivery& delivery : {first, second}) {
    ASSERT_TRUE(reaches(delivery, DeliveryStatus::kDead));
    const std::vector<Attempt> attempts = store_.attempts(delivery.id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].error_code, "webhook_deleted");
    EXPECT_FALSE(attempts[0].response_status.has_value());
  }
  // A webhook_deleted attempt is counted after its write is submitted: the store may show it first.
  EXPECT_TRUE(eventually([&] { return dispatcher->stats().dead == 2; }));
}

TEST_F(DispatcherTest, UnrenderableUrlIsDeadAsInvalidRequest) {
  TestReceiver receiver(always(200));
  // The whole URL comes from a property the contact does not have: it renders empty.
  const Webhook webhook = make_webhook("wh_1", "{{contact.callback_url}}");
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kDead));
  const std::vector<Attempt> attempts = store_.attempts(delivery.id);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].error_code, "invalid_request");
  EXPECT_NE(attempts[0].error_message.find("url"), std::string::npos) << attempts[0].error_message;
  EXPECT_EQ(attempts[0].request_url, "{{contact.callback_url}}");
  EXPECT_TRUE(receiver.requests().empty());
}

TEST_F(DispatcherTest, DeliveryWhoseLeaseNearlyEndedIsGivenBackAndClaimedAfresh) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  Delivery delivery = make_delivery(webhook, clock_.now_ms() + 5000);  // under the lease margin
  store_.put_delivery(delivery, true);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  // Not started on the short lease, nor left idle until it ends: released (due a second later),
  // the poller claims it with a whole lease and the try goes out, once.
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kSucceeded));
  EXPECT_EQ(dispatcher->stats().released, 1);
  EXPECT_EQ(dispatcher->stats().left_to_lease, 0);
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(store_.attempts(delivery.id).size(), 1u);
}

TEST_F(DispatcherTest, DeliveriesThatWaitedBehindASlowTryTooLongAreGivenBackTogether) {
  std::atomic<bool> holding = true;
  TestReceiver receiver([&](const std::string&) {
    while (holding) std::this_thread::sleep_for(milliseconds(5));
    return respond(200);
  });
  // Whatever happens below, the receiver's held call ends before it stops.
  const std::shared_ptr<void> let_go(nullptr, [&holding](void*) { holding = false; });
  Webhook webhook = make_webhook("wh_1", receiver.url());
  webhook.spec.max_in_flight = 1;
  store_.put_webhook(webhook);
  const Delivery first = committed(webhook);  // takes the one slot and hangs
  std::vector<Delivery> behind;
  for (int i = 0; i < 3; ++i) {
    behind.push_back(make_delivery(webhook, clock_.now_ms() + 5000));
    store_.put_delivery(behind.back(), true);
  }
  DispatcherOptions no_poll = options();
  no_poll.poll_interval = std::chrono::hours(1);  // only what is handed over
  auto dispatcher = start(std::move(no_poll));

  dispatcher->dispatch({first});
  ASSERT_TRUE(eventually([&] { return receiver.requests().size() == 1; }));
  dispatcher->dispatch(behind);
  // The slot frees with the leases of the three too near their end: one release, due a second
  // later (not claimed again at once).
  holding = false;
  ASSERT_TRUE(reaches(first, DeliveryStatus::kSucceeded));
  const int64_t freed = clock_.now_ms();
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().released == 3; }));
  // Counted when asked for; written by the store's thread a moment later.
  ASSERT_TRUE(eventually([&] {
    return std::ranges::none_of(behind,
                                [&](const Delivery& d) { return store_.row(d.id)->leased(); });
  }));
  for (const Delivery& d : behind) {
    const FakeStore::Row row = store_.row(d.id).value();
    EXPECT_FALSE(row.leased());
    EXPECT_GE(row.delivery.next_attempt_at, freed + kMinDeferMs - 100);
    EXPECT_LE(row.delivery.next_attempt_at, clock_.now_ms() + kMinDeferMs);
    EXPECT_EQ(row.delivery.status, DeliveryStatus::kPending);
  }
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(DispatcherTest, PlaceholdersRenderFromTheStoredBody) {
  TestReceiver receiver(always(200));
  Webhook webhook = make_webhook("wh_1", receiver.url("/c") + "?email={{contact.email}}");
  webhook.spec.headers = {{"X-Event", "{{event.name}} for {{contact.first_name}}"},
                          {"X-List", "{{event.list_id}}"}};
  store_.put_webhook(webhook);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(reaches(delivery, DeliveryStatus::kSucceeded));
  const std::string raw = receiver.requests().at(0);
  EXPECT_TRUE(raw.starts_with("POST /c?email=ana%2Btest@example.com HTTP/1.1\r\n")) << raw;
  EXPECT_EQ(header_in(raw, "X-Event"), "list.add_contact for Ana");
  EXPECT_EQ(header_in(raw, "X-List"), "100");
}

TEST_F(DispatcherTest, WebhookConfigIsCachedUntilChanged) {
  TestReceiver old_receiver(always(200));
  TestReceiver new_receiver(always(200));
  Webhook webhook = make_webhook("wh_1", old_receiver.url());
  store_.put_webhook(webhook);
  std::vector<Delivery> first_batch;
  for (int i = 0; i < 5; ++i) first_batch.push_back(committed(webhook));
  DispatcherOptions long_cache = options();
  long_cache.webhook_cache_ttl = std::chrono::minutes(5);
  auto dispatcher = start(std::move(long_cache));

  dispatcher->dispatch(first_batch);
  for (const Delivery& d : first_batch) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_EQ(store_.get_webhook_calls(), 1);

  webhook.spec.url = new_receiver.url();
  store_.put_webhook(webhook);
  const Delivery stale = committed(webhook);
  dispatcher->dispatch({stale});
  ASSERT_TRUE(reaches(stale, DeliveryStatus::kSucceeded));
  EXPECT_EQ(old_receiver.requests().size(), 6u);  // the cached copy still applies

  dispatcher->webhook_changed(webhook.id);
  const Delivery fresh = committed(webhook);
  dispatcher->dispatch({fresh});
  ASSERT_TRUE(reaches(fresh, DeliveryStatus::kSucceeded));
  EXPECT_EQ(new_receiver.requests().size(), 1u);
  EXPECT_EQ(store_.get_webhook_calls(), 2);
}

TEST_F(DispatcherTest, HandOversBeyondTheQueueLimitAreReleasedAndStillDelivered) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 8; ++i) deliveries.push_back(committed(webhook));
  DispatcherOptions small = options();
  small.max_queued = 2;
  small.max_in_flight_per_webhook = 1;
  auto dispatcher = start(std::move(small));

  dispatcher->dispatch(deliveries);
  for (const Delivery& d : deliveries) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_GE(dispatcher->stats().released, 6);
  EXPECT_EQ(receiver.requests().size(), 8u);
}

TEST_F(DispatcherTest, FailedWriteIsCountedAndTheDeliveryStaysLeased) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  store_.fail_record_attempt(true);
  const Delivery delivery = committed(webhook);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().write_errors == 1; }));
  const FakeStore::Row row = store_.row(delivery.id).value();
  EXPECT_TRUE(row.leased());  // due again when the lease ends
  EXPECT_EQ(row.delivery.status, DeliveryStatus::kPending);
  EXPECT_TRUE(store_.attempts(delivery.id).empty());

  // The dispatcher carries on.
  store_.fail_record_attempt(false);
  const Delivery next = committed(webhook);
  dispatcher->dispatch({next});
  ASSERT_TRUE(reaches(next, DeliveryStatus::kSucceeded));
}

TEST_F(DispatcherTest, BadOptionsAreRefused) {
  DispatcherOptions no_schedule = options();
  no_schedule.schedule.delays.clear();
  EXPECT_THROW({ Dispatcher bad(no_schedule, store_, store_, loopback_allowed(), clock_); },
               std::invalid_argument);
  DispatcherOptions no_slots = options();
  no_slots.max_in_flight_per_webhook = 0;
  EXPECT_THROW({ Dispatcher bad(no_slots, store_, store_, loopback_allowed(), clock_); },
               std::invalid_argument);
  DispatcherOptions no_breaker = options();
  no_breaker.breaker.failure_threshold = 0;
  EXPECT_THROW({ Dispatcher bad(no_breaker, store_, store_, loopback_allowed(), clock_); },
               std::invalid_argument);
}

}  // namespace
}  // namespace hookline::delivery
