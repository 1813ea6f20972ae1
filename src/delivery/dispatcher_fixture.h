#pragma once

// Test-only: what the dispatcher's tests share (dispatcher_test.cc, dispatcher_isolation_test.cc):
// webhooks and deliveries as ingest makes them, a bounded wait, and a fixture running a Dispatcher
// over a FakeStore and a real HttpClient allowed to reach the TestReceivers on 127.0.0.1.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "core/clock.h"
#include "core/delivery.h"
#include "core/event.h"
#include "core/ids.h"
#include "core/webhook.h"
#include "delivery/dispatcher.h"
#include "delivery/fake_store.h"
#include "delivery/http_client.h"
#include "delivery/retry_policy.h"
#include "delivery/test_receiver.h"
#include "outbound/payload.h"
#include "outbound/signature.h"

namespace hookline::delivery {

inline constexpr auto kWaitLimit = std::chrono::seconds(10);  // bound on every wait in the tests
inline const std::string kWorkspace = "ws_1";

// Polls `done` until it holds or the wait limit passes.
template <typename Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

inline Webhook make_webhook(const std::string& id, const std::string& url) {
  Webhook webhook;
  webhook.id = id;
  webhook.workspace_id = kWorkspace;
  webhook.spec.name = "Billing " + id;
  webhook.spec.url = url;
  webhook.spec.timeout_ms = 5000;
  webhook.secret = outbound::new_signing_secret();
  return webhook;
}

// A delivery as ingest makes it: body rendered once, leased until `lease_end`.
inline Delivery make_delivery(const Webhook& webhook, int64_t lease_end) {
  const int64_t now = SystemClock().now_ms();
  const Event event{new_uuid_v7(now), "list.add_contact", 1563186327795,
                    boost::json::object{{"list_id", "100"}, {"contact_id", "200"}}};
  const boost::json::object contact{{"id", "200"},
                                    {"email", "ana+test@example.com"},
                                    {"first_name", "Ana"},
                                    {"last_name", ""},
                                    {"mobile", "1234567890"}};
  templates::Warnings warnings;
  const boost::json::object context =
      outbound::template_context(event, contact, webhook.spec.name, std::nullopt);
  Delivery delivery;
  delivery.id = new_uuid_v7(now);
  delivery.workspace_id = webhook.workspace_id;
  delivery.webhook_id = webhook.id;
  delivery.event_id = event.id;
  delivery.event_name = event.name;
  delivery.body =
      outbound::build_body(event, &contact, std::nullopt, std::nullopt, context, warnings);
  delivery.next_attempt_at = lease_end;
  delivery.created_at = now;
  delivery.updated_at = now;
  return delivery;
}

inline RetrySchedule schedule_of(std::string_view text) {
  return RetrySchedule::parse(text).value();
}

class DispatcherTest : public ::testing::Test {
 protected:
  // A short schedule and poll interval, so retries and claims happen within a test.
  DispatcherOptions options() const {
    DispatcherOptions options;
    options.node_id = kTestNode;
    options.schedule = schedule_of("0s,50ms,50ms");
    options.poll_interval = std::chrono::milliseconds(20);
    return options;
  }

  std::unique_ptr<Dispatcher> start(DispatcherOptions options) {
    auto dispatcher = std::make_unique<Dispatcher>(std::move(options), store_, store_,
                                                   loopback_allowed(), clock_);
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

}  // namespace hookline::delivery
