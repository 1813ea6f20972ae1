#include "delivery/webhook_gate.h"

#include <algorithm>

namespace hookline::delivery {

WebhookGate::WebhookGate(const WebhookGateOptions& options)
    : options_(options), breaker_(options.breaker) {}

Admission WebhookGate::admit(const WebhookSpec& spec, int64_t lease_end, int64_t now_ms) {
  if (in_flight_ >= std::clamp(spec.max_in_flight, 1, options_.max_in_flight_per_webhook)) {
    return {Admission::kNoSlot};
  }
  // Before the breaker, so a delivery whose lease is nearly over is left to it, never released.
  if (now_ms > lease_end - kLeaseMarginMs) return {Admission::kLeaseEnding};
  if (!breaker_.allows_attempt(now_ms)) {
    if (breaker_.state(now_ms) == BreakerState::kOpen) {
      return {Admission::kBreakerHolds, breaker_.open_until(), /*wake_up=*/true};  // for the probe
    }
    // Half-open with the probe out: its answer comes within the webhook's timeout.
    return {Admission::kBreakerHolds, now_ms + spec.timeout_ms, /*wake_up=*/false};
  }
  const int rate = std::min(spec.rate_limit_per_second, RateLimiter::kMaxPerSecond);
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
  ++in_flight_;
  return breaker_.attempt_started(now_ms);
}

BreakerChange WebhookGate::try_finished(BreakerVerdict verdict, uint64_t probe, int64_t now_ms) {
  --in_flight_;
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

bool WebhookGate::holds(size_t held, int64_t lease_end, int64_t resume_at) const {
  return held < options_.max_held_per_webhook && lease_end - kLeaseMarginMs > resume_at;
}

void WebhookGate::reset_breaker() { breaker_ = Breaker(options_.breaker); }

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
