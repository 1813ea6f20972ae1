#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/event.h"
#include "core/webhook.h"
#include "delivery/dispatcher.h"
#include "delivery/http_client.h"
#include "delivery/test_sample.h"
#include "outbound/call.h"
#include "outbound/payload.h"
#include "store/delivery_queue.h"
#include "templates/template.h"

namespace hookline::delivery {

// The Test button's answer: what was sent (credentials masked), the placeholders that rendered
// empty, and what came back.
struct TestReport {
  outbound::OutboundRequest request;
  templates::Warnings warnings;
  outbound::OutboundResult result;
};

// Everything done to deliveries from outside the event path and the dispatcher's own loop, in one
// place: a node's start, the API's retry and recover, a webhook's change, and the Test button's
// call. Stored deliveries change through the store's delivery queue; the dispatcher hears of what
// concerns it. Thread-safe; `done` callbacks run on a store thread (or the HTTP client's, for a
// test call) and must not block.
class Lifecycle {
 public:
  // All must outlive the lifecycle. `node_id` is this node's, as the dispatcher's options have it.
  Lifecycle(store::DeliveryQueue& queue, Dispatcher& dispatcher, HttpClient& http,
            const Clock& clock, std::string node_id);

  // At this node's start, before its dispatcher starts: the leases it held when it last stopped
  // (or crashed) end now, so what it had in flight is due again. Other nodes' leases are theirs.
  // Returns how many deliveries that released.
  Result<int64_t> recover_at_start();

  // One delivery due now (core requeue_now: one still retrying keeps its place in the schedule,
  // one that ended starts a new round). kNotFound for an id not in the workspace; kConflict while
  // a try of it is in flight.
  void retry(const std::string& workspace_id, const std::string& delivery_id,
             std::function<void(Result<Delivery>)> done);

  // A new round for the webhook's deliveries that failed (retrying, not in flight) or died,
  // created in [since_ms, until_ms): typically after the receiver was fixed. Replies how many.
  void recover(const std::string& workspace_id, const std::string& webhook_id, int64_t since_ms,
               int64_t until_ms, std::function<void(Result<int64_t>)> done);

  // A webhook was saved, rotated or deleted: the dispatcher drops its cached copy. Enabled again
  // (`enabled_again`), the deliveries held while it was disabled are due now.
  void webhook_changed(const std::string& webhook_id, bool enabled_again = false);

  // One real call of `webhook` with `sample`, never retried and never stored. kUnprocessable
  // (field "url") when the URL does not render to an http(s) URL; a call that gets no answer is a
  // report with the transport error, not an error.
  void test_call(const Webhook& webhook, const TestSample& sample,
                 std::function<void(Result<TestReport>)> done);

 private:
  store::DeliveryQueue& queue_;
  Dispatcher& dispatcher_;
  HttpClient& http_;
  const Clock& clock_;
  const std::string node_id_;
};

}  // namespace hookline::delivery
