#pragma once

// Private to the dispatcher: the state of its thread, shared by dispatcher.cc (the loop, what comes
// in and goes back to the store, shutdown) and dispatcher_tries.cc (starting tries per webhook and
// taking their results).

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/logger.h"
#include "core/webhook.h"
#include "delivery/dispatcher.h"
#include "delivery/dispatcher_inbox.h"
#include "delivery/dispatcher_metrics.h"
#include "delivery/fresh_intake.h"
#include "delivery/http_client.h"
#include "delivery/webhook_gate.h"
#include "outbound/request_builder.h"
#include "store/delivery_queue.h"
#include "store/repositories.h"

namespace hookline::delivery {

using SteadyTime = std::chrono::steady_clock::time_point;

// The longest the poller waits after claims that mostly went back to the store for want of room.
inline constexpr int64_t kMaxClaimBackoff = 2'000;  // ms

// Everything the dispatcher's thread owns. Every member function runs on that thread, except
// stats() and breaker(), which read metrics_ (thread-safe).
class Dispatcher::Worker {
 public:
  Worker(DispatcherOptions options, store::DeliveryQueue& queue, store::Webhooks& webhook_store,
         HttpClient& http, const Clock& clock, std::shared_ptr<Inbox> inbox)
      : options_(std::move(options)),
        gate_options_{options_.max_in_flight_per_webhook, options_.breaker,
                      options_.max_held_per_webhook, options_.max_waiting_per_webhook},
        queue_(queue),
        webhook_store_(webhook_store),
        http_(http),
        clock_(clock),
        inbox_(std::move(inbox)),
        log_(module_logger("delivery")),
        rng_(std::random_device{}()) {}

  void run();
  DispatcherStats stats() const;
  void write_prometheus(PrometheusText& text) const { metrics_.write_prometheus(text); }
  std::optional<BreakerSnapshot> breaker(const std::string& webhook_id) const;
  const FreshIntake& intake() const { return intake_; }

 private:
  struct Entry {
    Delivery delivery;
    bool in_flight = false;
    Attempt attempt;     // while in flight: the attempt being made
    uint64_t probe = 0;  // while in flight: its breaker's probe ticket, 0 when not a probe
  };
  struct WebhookQueue {
    explicit WebhookQueue(const WebhookGateOptions& gate_options) : gate(gate_options) {}

    std::deque<std::string> waiting;  // delivery ids, oldest first
    // store.get_webhook, compiled once for all the tries made while it is cached.
    std::optional<Result<std::shared_ptr<const outbound::CompiledWebhook>>> config;
    SteadyTime loaded_at;
    WebhookGate gate;  // slots, rate limit, breaker
    // Its first success of this run was told to the store: that ends a failing spell an earlier
    // run left there, which a breaker starting closed in memory would not close by itself.
    bool success_told = false;
  };
  using Timer = std::pair<SteadyTime, std::string>;  // when, which webhook

  // The webhook's configuration as cached, or the defaults until it is read.
  static const WebhookSpec& known_spec(const WebhookQueue& queue);

  // ---- dispatcher.cc

  void handle(Inbox::FreshDeliveries& message);
  void handle(Inbox::WebhookChanged& message);
  void handle(Inbox::NodesChanged& message);
  void handle(Inbox::BreakerShared& message);
  void handle(Inbox::WorkDue& message);
  // Tells the store (and through it the other nodes) when this node's breaker for a webhook
  // opened or closed; BreakerStored comes back with how long it has been failing.
  void share_breaker(const Delivery& delivery, const Breaker& breaker, BreakerChange change);
  // A webhook failing for disable_failing_after is disabled ("failing").
  void handle(Inbox::BreakerStored& message);
  void handle(Inbox::ClaimFinished& message);
  void handle(Inbox::WriteFinished& message);
  void handle(Inbox::Hastened& message);
  void handle(Inbox::Stop& message);

  SteadyTime wake_at() const;
  bool done_stopping() const;
  void poll_if_due();
  // Takes in fresh or claimed deliveries not held already: queued, or put in `give_back` (by the
  // time they are due again): all of them while stopping or with max_queued reached (due now),
  // and those past their webhook's cap (WebhookGate::over_cap, due when it could take them).
  void take_in(Delivery&& delivery, std::map<int64_t, std::vector<LeaseRef>>& give_back);
  void release_all(std::map<int64_t, std::vector<LeaseRef>> give_back);
  void forget_idle_webhooks();
  // Marks the dispatcher, or a webhook, full in intake_ when a delivery taken in had to go back
  // for want of room (take_in), due at `due_at_ms`; update_intake() clears the mark once half the
  // room is back, and then polls the store at once.
  void mark_full(const std::string& webhook_id, int64_t due_at_ms);
  void update_intake();
  // Deliveries go back to the store due when their webhook could take them, by an estimate of its
  // pace (WebhookGate::over_cap) that a receiver pausing for a second makes far too long. Each such
  // deferral is noted here; once the webhook has room again with its breaker closed, hasten()
  // asks the store to make what it deferred due now (DeliveryQueue::hasten), as many at a time
  // as it has room for (at most a claim batch), rather than leaving the receiver idle until then.
  void note_deferred(const std::string& webhook_id, int64_t due_at_ms);
  void hasten_deferred();
  void hasten(const std::string& webhook_id, int64_t until_ms, int limit);
  // Attempts are recorded a turn at a time: record() keeps one, flush_records() writes all of the
  // turn's in one write job (each in its own savepoint, so one that fails undoes only itself).
  void record(AttemptRecord record);
  void flush_records();
  // Gives leased deliveries back to the store, due at `due_at_ms`: now, or when a breaker may let
  // a try through. release_deliveries sets next_attempt_at to it, so the poller does not claim
  // them before.
  void release(std::vector<LeaseRef> leases, int64_t due_at_ms);

  // ---- dispatcher_tries.cc

  // Starts the tries of a webhook's waiting deliveries, oldest first, as far as its gate allows.
  void pump(const std::string& webhook_id);
  const Result<std::shared_ptr<const outbound::CompiledWebhook>>& webhook_config(
      WebhookQueue& queue, const Delivery& front);
  void start_try(Entry& entry, const outbound::CompiledWebhook& webhook, WebhookQueue& queue);
  void handle(Inbox::TryFinished& message);
  void breaker_changed(const std::string& webhook_id, const Breaker& breaker, BreakerChange change,
                       int64_t now_ms);
  // Drops the waiting deliveries of a queue from memory, leaving them leased.
  void leave_to_lease(WebhookQueue& queue);
  // Releases the waiting deliveries at the front whose lease is too near its end to start a try
  // (Admission::kLeaseEnding), at least the first, due when the webhook could take them.
  void release_lease_ending(WebhookQueue& queue, const WebhookSpec& spec);
  // Hookline disables the webhook itself (store::Webhooks::disable_webhook): `reason` "gone" (its
  // receiver answered 410 Gone) or "failing"; `why` says it in the log.
  void disable(const std::string& workspace_id, const std::string& webhook_id,
               const std::string& reason, const std::string& why, int64_t now_ms);
  void hold(WebhookQueue& queue, const WebhookSpec& spec, int64_t resume_at);
  // Pumps the webhook again at `at_ms` (Unix ms) at the latest.
  void wake_for(const std::string& webhook_id, WebhookQueue& queue, int64_t at_ms);
  void fire_timers();

  const DispatcherOptions options_;
  const WebhookGateOptions gate_options_;
  store::DeliveryQueue& queue_;
  store::Webhooks& webhook_store_;
  HttpClient& http_;
  const Clock& clock_;
  const std::shared_ptr<Inbox> inbox_;
  const std::shared_ptr<spdlog::logger> log_;
  std::mt19937_64 rng_;

  std::unordered_map<std::string, Entry> entries_;  // every delivery held, by id
  std::unordered_map<std::string, WebhookQueue> webhooks_;
  std::unordered_set<std::string> ready_;  // webhooks that may be able to start a try
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;  // soonest first
  std::vector<AttemptRecord> records_;  // not yet handed to the store
  int records_writing_ = 0;             // writes of records whose completion has not come back
  size_t waiting_ = 0;
  int nodes_ = 1;  // nodes sending (Dispatcher::set_nodes): each takes its share of the limits
  size_t in_flight_ = 0;
  int pending_writes_ = 0;  // write jobs (claims included) whose completion has not come back
  bool claiming_ = false;   // a claim is outstanding
  size_t claim_limit_ = 0;  // of the outstanding claim
  SteadyTime next_poll_;
  // How long after a claim that mostly went back (full webhooks) the next one waits; 0 after one
  // mostly taken in.
  std::chrono::milliseconds claim_backoff_{0};
  bool claim_again_ = false;  // work fell due while a claim was out (work_due)
  bool stopping_ = false;
  SteadyTime grace_end_;
  SteadyTime writes_end_;

  DispatcherMetrics metrics_;
  FreshIntake intake_;
  std::unordered_set<std::string> full_webhooks_;  // those marked in intake_
  // By webhook: the latest time its deliveries were deferred to (note_deferred).
  std::unordered_map<std::string, int64_t> deferred_;
  // Webhooks hastened and not yet taken in: 0 while the write is out; then the number of the
  // claim that takes their deliveries in (the next to start), till it has finished.
  std::unordered_map<std::string, uint64_t> hastening_;
  uint64_t claims_started_ = 0;
};

}  // namespace hookline::delivery
