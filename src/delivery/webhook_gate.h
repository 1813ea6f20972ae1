#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

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
// longest try is the longest request timeout plus the connect timeout.
inline constexpr int64_t kLeaseMarginMs = kMaxTimeoutMs + 10'000;

// The operator's limits, the same for every webhook (from DispatcherOptions).
struct WebhookGateOptions {
  // A webhook has at most min(its own max_in_flight, this) tries in flight, and at least 1.
  int max_in_flight_per_webhook = kMaxMaxInFlight;
  BreakerOptions breaker;
  // While the breaker holds the webhook's tries back, at most this many deliveries wait in memory.
  size_t max_held_per_webhook = 100;
};

// The gate's answer for the oldest waiting delivery of its webhook.
struct Admission {
  enum Kind {
    kStart,         // start its try now (a rate token has been taken for it)
    kNoSlot,        // all slots are taken: a finished try opens one
    kLeaseEnding,   // its lease ends within kLeaseMarginMs: leave it to the lease, ask for the next
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
  // follows `spec`'s rate_limit_per_second first (a changed rate starts with a full bucket).
  Admission admit(const WebhookSpec& spec, int64_t lease_end, int64_t now_ms);

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
  bool holds(size_t held, int64_t lease_end, int64_t resume_at) const;

  // The webhook was deleted: its breaker has nothing left to protect and closes.
  void reset_breaker();

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
};

}  // namespace hookline::delivery
