#include "delivery/webhook_gate.h"

#include <algorithm>

#include "delivery/ramp.h"

namespace hookline::delivery {

WebhookGate::WebhookGate(const WebhookGateOptions& options)
    : options_(options), breaker_(options.breaker) {}

Admission WebhookGate::admit(const WebhookSpec& spec, int64_t lease_end, int64_t now_ms, int nodes,
                             int64_t healed_at) {
  if (in_flight_ >=
      node_share(std::clamp(spec.max_in_flight, 1, options_.max_in_flight_per_webhook), nodes)) {
    return {Admission::kNoSlot};
  }
  // Before the breaker, so a delivery whose lease is nearly over is given back, not held.
  if (now_ms > lease_end - lease_margin_ms(spec)) return {Admission::kLeaseEnding};
  if (!breaker_.allows_attempt(now_ms)) {
    if (breaker_.state(now_ms) == BreakerState::kOpen) {
      return {Admission::kBreakerHolds, breaker_.open_until(), /*wake_up=*/true};  // for the probe
    }
    // Half-open with the probe out: its answer comes within the webhook's timeout.
    return {Admission::kBreakerHolds, now_ms + spec.timeout_ms, /*wake_up=*/false};
  }
  const int limit = ramped_rate_limit(spec.rate_limit_per_second, healed_at, now_ms);
  const int rate = node_share(std::min(limit, RateLimiter::kMaxPerSecond), nodes);
  if (rate <= 0) {
    rate_.reset();
  } else if (!rate_ || rate_->per_second() != rate) {
    rate_.emplace(rate, now_ms);
  }
  if (rate_ && !rate_->take(now_ms)) {
    return {Admission::kNoToken, rate_->next_allowed_at(now_ms), /*wake_up=*/true};
  }
  return {Admission::kStart};
}

uint64_t WebhookGate::try_started(int64_t now_ms) {
  if (in_flight_++ == 0) stalled_since_ = now_ms;
  return breaker_.attempt_started(now_ms);
}

BreakerChange WebhookGate::try_finished(BreakerVerdict verdict, uint64_t probe, int64_t now_ms) {
  --in_flight_;
  stalled_since_ = now_ms;
  const int64_t second = now_ms / 1000;
  if (second != pace_second_) {
    finished_before_ = second == pace_second_ + 1 ? finished_now_ : 0;
    finished_now_ = 0;
    pace_second_ = second;
  }
  ++finished_now_;
  const bool was_clean = breaker_.clean();
  const BreakerState before = breaker_.state(now_ms);
  switch (verdict) {
    case BreakerVerdict::kSuccess:
      breaker_.record_success();
      break;
    case BreakerVerdict::kFailure:
      breaker_.record_failure(now_ms, probe);
      break;
    case BreakerVerdict::kNeutral:
      breaker_.record_neutral(probe);
      break;
  }
  if (was_clean && breaker_.clean()) return BreakerChange::kNone;
  const BreakerState after = breaker_.state(now_ms);
  if (after == BreakerState::kOpen && before != BreakerState::kOpen) return BreakerChange::kOpened;
  if (after == BreakerState::kClosed && before != BreakerState::kClosed) {
    return BreakerChange::kClosed;
  }
  return BreakerChange::kCounted;
}

bool WebhookGate::holds(const WebhookSpec& spec, size_t held, int64_t lease_end,
                        int64_t resume_at) const {
  return held < options_.max_held_per_webhook && lease_end - lease_margin_ms(spec) > resume_at;
}

int64_t WebhookGate::finished_recently(int64_t now_ms) const {
  const int64_t second = now_ms / 1000;
  if (second == pace_second_) return finished_now_ + finished_before_;
  return second == pace_second_ + 1 ? finished_now_ : 0;
}

size_t WebhookGate::cap(int64_t now_ms) const {
  return std::max(options_.max_waiting_per_webhook,
                  static_cast<size_t>(2 * finished_recently(now_ms)));
}

size_t WebhookGate::room(size_t waiting, int64_t now_ms) const {
  const size_t most = cap(now_ms);
  return waiting < most ? most - waiting : 0;
}

std::optional<int64_t> WebhookGate::over_cap(size_t waiting, const WebhookSpec& spec,
                                             int64_t now_ms) const {
  if (waiting < cap(now_ms)) return std::nullopt;
  const int64_t recent = finished_recently(now_ms);
  const auto count = static_cast<int64_t>(waiting);
  int64_t drain_ms = 0;
  if (recent > 0) {
    drain_ms = count * 1000 / recent;
  } else if (in_flight_ > 0) {
    const int64_t slots = std::clamp(spec.max_in_flight, 1, options_.max_in_flight_per_webhook);
    const int64_t round_ms =
        std::min({now_ms - stalled_since_, int64_t{spec.timeout_ms}, kMaxTryEstimateMs});
    drain_ms = (count / slots + 1) * std::max<int64_t>(0, round_ms);
  }
  return now_ms + std::clamp(drain_ms, kMinDeferMs, kMaxDeferMs);
}

void WebhookGate::reset_breaker() { breaker_ = Breaker(options_.breaker); }

bool WebhookGate::breaker_opened_elsewhere(const WebhookSpec& spec, int64_t open_until_ms,
                                           std::chrono::milliseconds interval,
                                           int consecutive_failures) {
  return breaker_.opened_elsewhere(open_until_ms + lease_margin_ms(spec), interval,
                                   consecutive_failures);
}

bool WebhookGate::idle(int64_t now_ms) const {
  return in_flight_ == 0 && breaker_.clean() && (!rate_ || rate_->full(now_ms));
}

bool WebhookGate::wake_up_at(SteadyTime at) {
  if (wake_up_ && *wake_up_ <= at) return false;
  wake_up_ = at;
  return true;
}

void WebhookGate::woken(SteadyTime now) {
  if (wake_up_ && *wake_up_ <= now) wake_up_.reset();
}

}  // namespace hookline::delivery
