#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/delivery.h"
#include "core/webhook.h"
#include "delivery/breaker.h"
#include "delivery/rate_limiter.h"

// The isolation of one webhook (SPEC 7) as a pure object: whether its oldest waiting delivery may
// start a try now, judged by its tries in flight, its rate limit, its circuit breaker and the
// delivery's lease. Time is passed in, so every decision is reproducible in a test; the
// dispatcher's thread owns one gate per webhook and does the I/O the answers call for.
namespace hookline::delivery {

// A delivery whose lease ends sooner than this is not started: the store offers it again soon
// (perhaps to another node), and a try that outlived its lease could run twice at once. The
// longest try of a webhook is its timeout plus kLeaseSlackMs (core/delivery.h).
inline int64_t lease_margin_ms(const WebhookSpec& spec) {
  return int64_t{spec.timeout_ms} + kLeaseSlackMs;
}

// A node's share of a limit set for the whole cluster (a webhook's max_in_flight, its rate
// limit): with `nodes` nodes sending, each takes limit / nodes rounded up, so the nodes together
// stay within the limit plus nodes - 1, and one node alone has all of it.
inline int node_share(int limit, int nodes) {
  return nodes <= 1 || limit <= 0 ? limit : (limit + nodes - 1) / nodes;
}

// The operator's limits, the same for every webhook (from DispatcherOptions).
struct WebhookGateOptions {
  // A webhook has at most min(its own max_in_flight, this) tries in flight, and at least 1.
  int max_in_flight_per_webhook = kMaxMaxInFlight;
  BreakerOptions breaker;
  // While the breaker holds the webhook's tries back, at most this many deliveries wait in memory.
  size_t max_held_per_webhook = 100;
  // Deliveries of one webhook waiting in memory (not in flight), at least: see over_cap().
  size_t max_waiting_per_webhook = 200;
};

// A delivery released because its webhook has too many waiting (WebhookGate::over_cap) is due
// again no sooner than this, so it is not claimed and released in a tight loop...
inline constexpr int64_t kMinDeferMs = 1'000;
// ...and no later than this, so a receiver that recovers gets its backlog back within a minute.
inline constexpr int64_t kMaxDeferMs = 60'000;
// The most one try is assumed to take when estimating how long a webhook's waiting deliveries
// take to drain (a try that hangs takes the webhook's timeout, up to 60 s).
inline constexpr int64_t kMaxTryEstimateMs = 5'000;

// The gate's answer for the oldest waiting delivery of its webhook.
struct Admission {
  enum Kind {
    kStart,         // start its try now (a rate token has been taken for it)
    kNoSlot,        // all slots are taken: a finished try opens one
    kLeaseEnding,   // its lease ends within lease_margin_ms: give it back, ask for the next
    kBreakerHolds,  // the breaker lets no try through before `resume_at`
    kNoToken,       // the rate limit lets the next try through at `resume_at`
  };
  Kind kind = kStart;
  int64_t resume_at = 0;  // Unix ms; kBreakerHolds and kNoToken only
  // Whether the dispatcher must wake the webhook at `resume_at` itself. Not when the breaker waits
  // for the probe out: its answer comes within the webhook's timeout and wakes the webhook.
  bool wake_up = false;
};

// What a try's result did to the breaker, for the log and for Dispatcher::breaker().
enum class BreakerChange {
  kNone,     // clean before and after: nothing worth showing
  kCounted,  // not clean, but neither opened nor closed by this result
  kOpened,
  kClosed,
};

class WebhookGate {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // Throws std::invalid_argument for breaker options Breaker refuses.
  explicit WebhookGate(const WebhookGateOptions& options);

  // The answer for the oldest waiting delivery, whose lease ends at `lease_end` (Unix ms). The
  // checks go in this order: a free slot, the lease, the breaker, then a rate token; the bucket
  // follows `spec`'s rate_limit_per_second first (a changed rate starts with a full bucket). With
  // `nodes` nodes sending for the webhook, this one keeps to its node_share of the webhook's
  // max_in_flight and rate limit. A webhook self-healing enabled again at `healed_at` (Unix ms;
  // 0: never) keeps to a ramped rate (delivery/ramp.h).
  Admission admit(const WebhookSpec& spec, int64_t lease_end, int64_t now_ms, int nodes = 1,
                  int64_t healed_at = 0);

  // The try admitted started: it takes a slot. Returns its breaker probe ticket (0: not a probe),
  // to hand back to try_finished(). REQUIRES: admit() said kStart.
  uint64_t try_started(int64_t now_ms);
  // A try's result came: its slot frees and `verdict` counts for the breaker.
  BreakerChange try_finished(BreakerVerdict verdict, uint64_t probe, int64_t now_ms);

  // While the breaker holds tries back until `resume_at`, the waiting deliveries are asked about
  // oldest first: whether one whose lease ends at `lease_end` stays in memory, with `held` kept
  // already. It stays while fewer than max_held_per_webhook are kept and its lease outlives the
  // wait; the rest go back to the store, due at `resume_at`, so the poller does not claim them
  // before (no claim/release loop while the breaker is open).
  bool holds(const WebhookSpec& spec, size_t held, int64_t lease_end, int64_t resume_at) const;

  // Whether a delivery may join the `waiting` ones of the webhook in memory (tries in flight not
  // counted). nullopt: it may. Otherwise the time (Unix ms) it should be released to the store
  // due at: an estimate of when the webhook could take it. One webhook whose receiver hangs or is
  // slow thus fills neither the dispatcher's memory nor max_queued, and its excess is not claimed
  // again before it could be sent.
  //
  // The cap is max(max_waiting_per_webhook, 2 x the tries that finished in the last one to two
  // seconds): a webhook keeps as much waiting as it drains in about two seconds at its recent
  // pace, so a fast receiver under a burst is not held back, and a hung one (no try finishing)
  // keeps max_waiting_per_webhook. The due time is now plus the time to drain `waiting`: at the
  // recent pace when tries finished lately; otherwise (waiting / slots + 1) x the time the tries
  // in flight have been out without one finishing, at most min(timeout, kMaxTryEstimateMs) a
  // round; in any case within [kMinDeferMs, kMaxDeferMs] from now. `spec` is the webhook's
  // configuration, or a default WebhookSpec when not read yet.
  std::optional<int64_t> over_cap(size_t waiting, const WebhookSpec& spec, int64_t now_ms) const;
  // How many more deliveries may wait beside `waiting` before over_cap() says the cap is reached.
  size_t room(size_t waiting, int64_t now_ms) const;

  // The webhook was deleted: its breaker has nothing left to protect and closes.
  void reset_breaker();

  // News of the webhook's breaker from another node sharing the store. Opened: that node probes
  // at `open_until_ms`; this one holds its tries back until that probe could have answered
  // (lease_margin_ms(spec) later), so only that node probes unless it dies. Returns whether the
  // breaker changed. Closed: a try of that node succeeded, and this breaker closes too.
  bool breaker_opened_elsewhere(const WebhookSpec& spec, int64_t open_until_ms,
                                std::chrono::milliseconds interval, int consecutive_failures);
  void breaker_closed_elsewhere() { breaker_.closed_elsewhere(); }

  // Nothing in flight, a clean breaker and a full bucket: replacing the gate with a new one would
  // change nothing, so it may be forgotten.
  bool idle(int64_t now_ms) const;

  // Wake-ups of the webhook for `resume_at`, in the dispatcher's steady time. Returns false when
  // one at or before `at` is pending already (it will do); otherwise remembers `at` and the caller
  // schedules it.
  bool wake_up_at(SteadyTime at);
  // The dispatcher's timers fired at `now`: a wake-up due by then is no longer pending.
  void woken(SteadyTime now);

  const Breaker& breaker() const { return breaker_; }

 private:
  WebhookGateOptions options_;
  int in_flight_ = 0;
  Breaker breaker_;
  std::optional<RateLimiter> rate_;  // while the webhook has a rate limit
  std::optional<SteadyTime> wake_up_;
  // The pace of the webhook, for over_cap(): tries finished in second `pace_second_` (Unix
  // seconds) and in the second before it.
  int64_t pace_second_ = 0;
  int64_t finished_now_ = 0;
  int64_t finished_before_ = 0;
  // While tries are in flight: the later of the last try finishing and the first one starting.
  int64_t stalled_since_ = 0;

  int64_t finished_recently(int64_t now_ms) const;
  // max(max_waiting_per_webhook, 2 x finished_recently): see over_cap().
  size_t cap(int64_t now_ms) const;
};

}  // namespace hookline::delivery
