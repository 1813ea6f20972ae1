#include "delivery/rate_limiter.h"

#include <algorithm>
#include <stdexcept>

namespace hookline::delivery {

RateLimiter::RateLimiter(int per_second, int64_t now_ms)
    : per_second_(per_second),
      capacity_(std::max<int64_t>(1, per_second) * kToken),
      level_(capacity_),
      updated_at_(now_ms) {
  if (per_second < 1 || per_second > kMaxPerSecond) {
    throw std::invalid_argument("rate limit must be between 1 and 1000000 a second");
  }
}

// A rate of r tokens a second is r thousandths of a token a millisecond.
int64_t RateLimiter::level_at(int64_t now_ms) const {
  if (now_ms <= updated_at_) return level_;
  const int64_t elapsed = now_ms - updated_at_;
  const int64_t missing = capacity_ - level_;
  if (elapsed >= missing / per_second_ + 1) return capacity_;  // also keeps the product in range
  return std::min(capacity_, level_ + elapsed * per_second_);
}

bool RateLimiter::take(int64_t now_ms) {
  level_ = level_at(now_ms);
  updated_at_ = now_ms;
  if (level_ < kToken) return false;
  level_ -= kToken;
  return true;
}

int64_t RateLimiter::next_allowed_at(int64_t now_ms) const {
  const int64_t level = level_at(now_ms);
  if (level >= kToken) return now_ms;
  // From now on the level grows by per_second_ units a millisecond (a clock that stepped back
  // included: take() would restart the count there).
  return now_ms + (kToken - level + per_second_ - 1) / per_second_;
}

bool RateLimiter::full(int64_t now_ms) const { return level_at(now_ms) >= capacity_; }

}  // namespace hookline::delivery
