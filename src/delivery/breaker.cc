#include "delivery/breaker.h"

#include <algorithm>
#include <stdexcept>

namespace hookline::delivery {

std::string_view breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

BreakerVerdict breaker_verdict(const outbound::OutboundResult& result,
                               const Classification& classification) {
  switch (classification.kind) {
    case Classification::kSuccess:
      return BreakerVerdict::kSuccess;
    case Classification::kRetry:
      return BreakerVerdict::kFailure;
    case Classification::kFinal:
      // A final answer came from a receiver that works; a final transport error (a blocked
      // target) never reached it.
      return result.response ? BreakerVerdict::kSuccess : BreakerVerdict::kNeutral;
  }
  return BreakerVerdict::kNeutral;
}

Breaker::Breaker(BreakerOptions options) : options_(options) {
  if (options_.failure_threshold < 1 || options_.first_open.count() < 1 ||
      options_.max_open < options_.first_open) {
    throw std::invalid_argument(
        "breaker: the threshold must be positive and 1 ms <= first_open <= max_open");
  }
}

BreakerState Breaker::state(int64_t now_ms) const {
  if (!open_) return BreakerState::kClosed;
  return now_ms < open_until_ ? BreakerState::kOpen : BreakerState::kHalfOpen;
}

bool Breaker::allows_attempt(int64_t now_ms) const {
  switch (state(now_ms)) {
    case BreakerState::kClosed:
      return true;
    case BreakerState::kOpen:
      return false;
    case BreakerState::kHalfOpen:
      return probe_ == 0;
  }
  return false;
}

uint64_t Breaker::attempt_started(int64_t now_ms) {
  if (state(now_ms) != BreakerState::kHalfOpen) return 0;
  probe_ = ++last_ticket_;
  return probe_;
}

void Breaker::record_success() {
  open_ = false;
  consecutive_failures_ = 0;
  open_until_ = 0;
  opened_at_ = 0;
  interval_ = std::chrono::milliseconds(0);
  probe_ = 0;
}

void Breaker::record_failure(int64_t now_ms, uint64_t probe) {
  ++consecutive_failures_;
  if (!open_) {
    if (consecutive_failures_ >= options_.failure_threshold) open_for(options_.first_open, now_ms);
    return;
  }
  // Open or half-open: only the current probe's failure moves the breaker; the failures of tries
  // started before it opened are old news.
  if (probe != 0 && probe == probe_) {
    open_for(std::min(interval_ * 2, options_.max_open), now_ms);
  }
}

void Breaker::record_neutral(uint64_t probe) {
  if (probe != 0 && probe == probe_) probe_ = 0;
}

bool Breaker::opened_elsewhere(int64_t open_until_ms, std::chrono::milliseconds interval,
                               int consecutive_failures) {
  consecutive_failures_ = std::max(consecutive_failures_, consecutive_failures);
  if (open_ && open_until_ >= open_until_ms) return false;
  if (!open_) opened_at_ = open_until_ms - interval.count();  // when that node opened it
  open_ = true;
  open_until_ = open_until_ms;
  // This node's next failed probe doubles what the cluster has reached, not its own first step.
  interval_ = std::clamp(std::max(interval_, interval), options_.first_open, options_.max_open);
  return true;
}

BreakerSnapshot Breaker::snapshot(int64_t now_ms) const {
  return {std::string(breaker_state_name(state(now_ms))), consecutive_failures_, open_until(),
          open_ ? opened_at_ : 0};
}

void Breaker::open_for(std::chrono::milliseconds interval, int64_t now_ms) {
  if (!open_) opened_at_ = now_ms;
  open_ = true;
  interval_ = interval;
  open_until_ = now_ms + interval.count();
  probe_ = 0;
}

}  // namespace hookline::delivery
