#include "delivery/dispatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "delivery/fake_store.h"
#include "delivery/payload.h"
#include "delivery/signature.h"
#include "delivery/test_receiver.h"

namespace hookline::delivery {
namespace {
namespace json = boost::json;

using std::chrono::milliseconds;

constexpr auto kWaitLimit = std::chrono::seconds(10);  // bound on every wait in these tests
const std::string kWorkspace = "ws_1";

// Polls `done` until it holds or the wait limit passes.
template <typename Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return done();
}

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

Webhook make_webhook(const std::string& id, const std::string& url) {
  Webhook webhook;
  webhook.id = id;
  webhook.workspace_id = kWorkspace;
  webhook.spec.name = "Billing " + id;
  webhook.spec.url = url;
  webhook.spec.timeout_ms = 5000;
  webhook.secret = new_signing_secret();
  return webhook;
}

// A delivery as ingest makes it: body rendered once, leased until `lease_end`.
Delivery make_delivery(const Webhook& webhook, int64_t lease_end) {
  const int64_t now = SystemClock().now_ms();
  const Event event{new_uuid_v7(now), "list.add_contact", 1563186327795,
                    json::object{{"list_id", "100"}, {"contact_id", "200"}}};
  const json::object contact{{"id", "200"},
                             {"email", "ana+test@example.com"},
                             {"first_name", "Ana"},
                             {"last_name", ""},
                             {"mobile", "1234567890"}};
  templates::Warnings warnings;
  const json::object context = template_context(event, contact, webhook.spec.name, std::nullopt);
  Delivery delivery;
  delivery.id = new_uuid_v7(now);
  delivery.workspace_id = webhook.workspace_id;
  delivery.webhook_id = webhook.id;
  delivery.event_id = event.id;
  delivery.event_name = event.name;
  delivery.body = build_body(event, contact, std::nullopt, std::nullopt, context, warnings);
  delivery.next_attempt_at = lease_end;
  delivery.created_at = now;
  delivery.updated_at = now;
  return delivery;
}

RetrySchedule schedule_of(std::string_view text) { return RetrySchedule::parse(text).value(); }

// Runs a write job through the store's writer and waits for it to commit.
Result<void> write_now(store::Store& store, store::WriteJob job) {
  std::promise<Result<void>> committed;
  std::future<Result<void>> result = committed.get_future();
  store.write(std::move(job), [&committed](Result<void> r) { committed.set_value(std::move(r)); });
  return result.get();
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

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherOptions options() const {
    DispatcherOptions options;
    options.schedule = schedule_of("0s,50ms,50ms");
    options.poll_interval = milliseconds(20);
    return options;
  }

  std::unique_ptr<Dispatcher> start(DispatcherOptions options) {
    auto dispatcher = std::make_unique<Dispatcher>(std::move(options), store_, http_, clock_);
    dispatcher->start();
    return dispatcher;
  }

  // A fresh delivery stored leased, as ingest commits it before handing it over.
  Delivery committed(const Webhook& webhook) {
    Delivery delivery = make_delivery(webhook, clock_.now_ms() + 300000);
    store_.put_delivery(delivery, /*leased=*/true);
    return delivery;
  }

  DeliveryStatus status_of(const Delivery& delivery) const {
    return store_.row(delivery.id).value().delivery.status;
  }

  bool reaches(const Delivery& delivery, DeliveryStatus status) const {
    return eventually([&] { return status_of(delivery) == status; });
  }

  SystemClock clock_;
  FakeStore store_;
  HttpClient http_{loopback_allowed()};
};

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
            sign(webhook.secret, delivery.id, timestamp, delivery.body).value());

  const FakeStore::Row row = store_.row(delivery.id).value();
  EXPECT_FALSE(row.leased);
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

TEST_F(DispatcherTest, SlowWebhookNeverExceedsItsLimitNorHoldsUpOthers) {
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
  for (const Delivery& d : {due_now, retry_due, later}) store_.put_delivery(d, false);
  auto dispatcher = start(options());

  ASSERT_TRUE(reaches(due_now, DeliveryStatus::kSucceeded));
  ASSERT_TRUE(reaches(retry_due, DeliveryStatus::kSucceeded));
  EXPECT_EQ(store_.attempts(retry_due.id).at(0).number, 2);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(status_of(later), DeliveryStatus::kPending);
  EXPECT_FALSE(store_.row(later.id)->leased);
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
    EXPECT_FALSE(row.leased) << i;
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
  EXPECT_TRUE(store_.row(late.id)->leased);
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
  EXPECT_TRUE(store_.row(delivery.id)->leased);
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
  EXPECT_EQ(dispatcher->stats().dead, 2);
}

TEST_F(DispatcherTest, DisabledWebhookLeavesItsDeliveriesLeased) {
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
  EXPECT_TRUE(row.leased);
  EXPECT_EQ(row.delivery.status, DeliveryStatus::kPending);
  EXPECT_TRUE(store_.attempts(delivery.id).empty());
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

TEST_F(DispatcherTest, DeliveryWhoseLeaseNearlyEndedIsNotStarted) {
  TestReceiver receiver(always(200));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  Delivery delivery = make_delivery(webhook, clock_.now_ms() + 5000);  // under the 10 s margin
  store_.put_delivery(delivery, true);
  auto dispatcher = start(options());

  dispatcher->dispatch({delivery});
  ASSERT_TRUE(eventually([&] { return dispatcher->stats().left_to_lease == 1; }));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_TRUE(store_.row(delivery.id)->leased);
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
  EXPECT_TRUE(row.leased);  // due again when the lease ends
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
  EXPECT_THROW({ Dispatcher bad(no_schedule, store_, http_, clock_); }, std::invalid_argument);
  DispatcherOptions no_slots = options();
  no_slots.max_in_flight_per_webhook = 0;
  EXPECT_THROW({ Dispatcher bad(no_slots, store_, http_, clock_); }, std::invalid_argument);
  DispatcherOptions no_breaker = options();
  no_breaker.breaker.failure_threshold = 0;
  EXPECT_THROW({ Dispatcher bad(no_breaker, store_, http_, clock_); }, std::invalid_argument);
}

// ---- Isolation (SPEC 7): per-webhook in-flight limit, rate limit, circuit breaker, disabled hold

TEST_F(DispatcherTest, WebhookMaxInFlightHolds) {
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

TEST_F(DispatcherTest, RateLimitHoldsWithinTenPercent) {
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

TEST_F(DispatcherTest, BreakerOpensAfterConsecutiveFailuresAndAProbeClosesIt) {
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
}

TEST_F(DispatcherTest, HalfOpenBreakerLetsOneProbeThroughAndAFailedProbeReopensItLonger) {
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

TEST_F(DispatcherTest, OpenBreakerHoldsAFewAndReleasesTheRestUntilItEndsWithoutChurn) {
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
        EXPECT_TRUE(row.leased) << i;
      } else {
        EXPECT_FALSE(row.leased) << i;
        EXPECT_EQ(row.delivery.next_attempt_at, open_until) << i;
      }
    }
  };
  ASSERT_TRUE(eventually([&] { return !store_.row(later[4].id)->leased; }));
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

TEST_F(DispatcherTest, HeldDeliveryWhoseLeaseEndsBeforeTheBreakerDoesIsReleasedUntilThen) {
  TestReceiver receiver(always(503));
  const Webhook webhook = make_webhook("wh_1", receiver.url());
  store_.put_webhook(webhook);
  DispatcherOptions breaking = options();
  breaking.schedule = schedule_of("0s,1m");
  breaking.breaker.failure_threshold = 1;
  breaking.breaker.first_open = std::chrono::seconds(30);
  auto dispatcher = start(std::move(breaking));

  const Delivery opener = committed(webhook);
  dispatcher->dispatch({opener});
  ASSERT_TRUE(eventually([&] { return dispatcher->breaker(webhook.id).has_value(); }));
  const int64_t open_until = dispatcher->breaker(webhook.id).value().open_until_ms;
  const Delivery long_lease = committed(webhook);
  Delivery short_lease = make_delivery(webhook, clock_.now_ms() + 12000);  // ends in the open
  store_.put_delivery(short_lease, true);
  dispatcher->dispatch({long_lease, short_lease});

  ASSERT_TRUE(eventually([&] { return !store_.row(short_lease.id)->leased; }));
  EXPECT_EQ(store_.row(short_lease.id)->delivery.next_attempt_at, open_until);
  EXPECT_TRUE(store_.row(long_lease.id)->leased);
  EXPECT_EQ(dispatcher->stats().released, 1);
  EXPECT_EQ(dispatcher->stats().queued, 1);
}

TEST_F(DispatcherTest, FailingReceiversDoNotSlowHealthyOnes) {
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

TEST_F(DispatcherTest, DisabledWebhookHoldsItsDeliveriesUntilEnabledAgain) {
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
  for (const Delivery& d : deliveries) EXPECT_TRUE(store_.row(d.id)->leased);
  EXPECT_TRUE(receiver.requests().empty());

  // What the API does on enabling: store the change, release the held deliveries, tell the
  // dispatcher.
  webhook.spec.enabled = true;
  store_.put_webhook(webhook);
  const Result<void> released = write_now(store_, [&](store::WriteTxn& txn) -> Result<void> {
    auto count = txn.release_webhook_deliveries(webhook.id, clock_.now_ms());
    if (!count) return std::unexpected(count.error());
    EXPECT_EQ(*count, 2);
    return {};
  });
  ASSERT_TRUE(released.has_value());
  dispatcher->webhook_changed(webhook.id);
  for (const Delivery& d : deliveries) ASSERT_TRUE(reaches(d, DeliveryStatus::kSucceeded));
  EXPECT_EQ(receiver.requests().size(), 2u);
}

}  // namespace
}  // namespace hookline::delivery
