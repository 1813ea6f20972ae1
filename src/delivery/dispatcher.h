#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/delivery.h"
#include "core/prometheus_text.h"
#include "core/webhook.h"
#include "core/webhook_news.h"
#include "delivery/breaker.h"
#include "delivery/http_client.h"
#include "delivery/retry_policy.h"
#include "store/delivery_queue.h"
#include "store/repositories.h"

namespace hookline::delivery {

inline constexpr int64_t kDefaultLeaseMs = 30'000;
inline constexpr int64_t kMinLeaseMs = 5'000;
inline constexpr int64_t kDefaultDisableFailingAfterMs = 5LL * 24 * 3600 * 1000;  // 5 days

struct DispatcherOptions {
  // This node's id: the owner of the leases it claims (store/write_txn.h); not empty.
  std::string node_id;
  RetrySchedule schedule;
  // The operator's cap on every webhook's own max_in_flight (WebhookSpec): a webhook has at most
  // min(its max_in_flight, this) tries in flight.
  int max_in_flight_per_webhook = kMaxMaxInFlight;
  BreakerOptions breaker;
  // While a webhook's breaker holds its tries back, at most this many of its deliveries wait in
  // memory (leased); the rest go back to the store, due when the breaker may let a try through.
  size_t max_held_per_webhook = 100;
  // At least this many of one webhook's deliveries may wait in memory (not in flight); more while
  // it drains faster (WebhookGate::over_cap: what it sends in about 2 s). A delivery, fresh or
  // claimed, past its webhook's cap goes back to the store due when the webhook could take it
  // (1 s to 1 min later), so a hung or slow receiver does not fill max_queued for the others.
  size_t max_waiting_per_webhook = 200;
  // Deliveries held in memory, waiting or in flight: the last resort behind the per-webhook caps.
  size_t max_queued = 20000;
  // How long a claim reserves a delivery for this node (core/delivery.h: lease_length_ms): when
  // the node dies, the time before another node sends what it held.
  int64_t lease_ms = kDefaultLeaseMs;
  std::chrono::milliseconds poll_interval{200};  // how often the store is asked for due work
  int claim_batch = 500;
  std::chrono::milliseconds webhook_cache_ttl{5000};
  // A webhook whose breaker has stayed open this long (every probe failing, on any node, across
  // restarts) is disabled with reason "failing"; 0: never.
  int64_t disable_failing_after_ms = kDefaultDisableFailingAfterMs;
  // Told when this dispatcher disables a webhook (the webhook.disabled event); may be empty.
  OnWebhookNews on_webhook_news{};
};

// A snapshot for /metrics. Gauges are as of the dispatcher's last turn; counters only grow.
struct DispatcherStats {
  int64_t in_flight = 0;  // tries sent and not answered yet
  int64_t queued = 0;     // deliveries waiting for a free slot of their webhook
  int64_t succeeded = 0;  // deliveries that succeeded
  // Attempts recorded that did not succeed (the delivery retries later or is dead), including
  // the ones that could not be sent at all (invalid_request, webhook_deleted).
  int64_t failed = 0;
  int64_t dead = 0;      // deliveries that became dead
  int64_t released = 0;  // deliveries given back to the store (release_deliveries)
  // Deliveries dropped from memory while leased (webhook disabled, store read failed): the store
  // offers them again once their lease ends.
  int64_t left_to_lease = 0;
  int64_t write_errors = 0;   // store write jobs that failed (logged)
  int64_t breakers_open = 0;  // webhooks whose breaker is open or half-open
};

// Sends deliveries and records the outcome of every try (DESIGN: "The path of an event", 4-5).
//
// One thread owns all of the dispatcher's state. dispatch(), webhook_changed(), the HTTP client's
// callbacks and the store's write completions only push messages into its inbox. The thread keeps
// a FIFO of waiting deliveries per webhook, so one slow or failing receiver never holds up the
// others (SPEC 7, isolation): a webhook has at most its max_in_flight tries in flight, starts at
// most rate_limit_per_second tries a second (a token bucket), and has a circuit breaker that holds
// its tries back after failure_threshold failures in a row, then lets one probe through. Every
// poll_interval it claims due deliveries (retries, and anything a previous run left) from the
// store, as room allows.
//
// Nothing is lost: every delivery the dispatcher holds is leased to it in the store, and whatever
// it drops from memory without recording an attempt either is released (due now, or when its
// webhook's breaker may let a try through) or stays leased until the lease ends, when the store
// offers it again. Results are written back through the store's group commit; a write that fails is
// logged and the lease again covers the delivery.
class Dispatcher {
 public:
  // Throws std::invalid_argument for options that cannot work (empty schedule, limits below 1,
  // breaker options Breaker refuses).
  // Claims, records and releases go through `queue`; webhooks are read from `webhooks`. All must
  // outlive the dispatcher.
  // The dispatcher's thread drives its own HTTP client, made from `http`.
  Dispatcher(DispatcherOptions options, store::DeliveryQueue& queue, store::Webhooks& webhooks,
             HttpClientOptions http, const Clock& clock);
  // Shuts down with no grace if shutdown() was not called.
  ~Dispatcher();

  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts the thread; it claims due deliveries right away. REQUIRES: called once.
  void start();

  // Hands over committed deliveries already leased to this node (insert_delivery with a lease
  // owned by options.node_id): they are sent without being read back. Thread-safe, never blocks on
  // I/O. After shutdown they are ignored, and come back from the store when their lease ends.
  void dispatch(std::vector<Delivery> fresh);

  // Drops the cached configuration of a webhook that was changed or deleted; an empty id drops
  // every webhook's. Thread-safe.
  void webhook_changed(const std::string& webhook_id);

  // How many nodes send deliveries from the store this dispatcher shares (1 until told): each
  // keeps to its share of every webhook's max_in_flight and rate limit (node_share), so the
  // cluster as a whole keeps to them. Thread-safe.
  void set_nodes(int nodes);

  // News of a webhook's breaker from the nodes sharing the store (store::ClusterListener); this
  // node's own news is ignored. Opened elsewhere: this node holds the webhook's tries back until
  // that node's probe could have answered, so one node probes a dead receiver, not each; closed
  // elsewhere: the receiver works, and the tries held back start. This node's own breaker changes
  // go the other way (DeliveryQueue::share_breaker). Thread-safe.
  void breaker_shared(store::BreakerNews news);

  // Deliveries became due now through some node (store::ClusterListener::work_due): the store is
  // asked for due work at once rather than at the next poll, unless this node's recent claims
  // mostly went back for want of room. Thread-safe.
  void work_due();

  // Stops starting tries and gives back (release_deliveries) what waits; waits up to `grace` for
  // the tries in flight and records their results; then waits (bounded) until the store has
  // committed the dispatcher's writes, so the caller may stop the store's writer next. Tries
  // still in flight after `grace` stay leased. REQUIRES: not called concurrently with start().
  void shutdown(std::chrono::milliseconds grace);

  DispatcherStats stats() const;  // thread-safe
  // The histograms and per-webhook counters of /metrics. Thread-safe.
  void write_prometheus(PrometheusText& text) const;

  // Whether a fresh delivery of this webhook should be handed over by dispatch(), leased to this
  // node: nullopt when it should. Otherwise the webhook (or the dispatcher) has more waiting than
  // it takes in, and the delivery would only go back to the store: it had better be stored
  // unleased, due at the time returned (Unix ms; 0: now), when the webhook could take it
  // (ingest::FreshLease::due_instead). Thread-safe, and cheap enough to ask for every delivery.
  std::optional<int64_t> fresh_due_instead(const std::string& webhook_id) const;

  // The breaker of a webhook as of the dispatcher's last change to it, its state read at the
  // clock's now (an open breaker whose interval has ended shows as half_open). nullopt: closed
  // with no failure counted, or never seen. Thread-safe. Breakers live in memory only: a restart
  // closes them all (while another node's stays open, it tells this one when it probes again).
  std::optional<BreakerSnapshot> breaker(const std::string& webhook_id) const;

 private:
  class Inbox;
  class Worker;

  std::unique_ptr<HttpClient> http_;  // Driver::kCaller: worker_'s loop drives it
  std::shared_ptr<Inbox> inbox_;      // shared with callbacks, which may outlive the dispatcher
  std::unique_ptr<Worker> worker_;
  std::thread thread_;
};

}  // namespace hookline::delivery
