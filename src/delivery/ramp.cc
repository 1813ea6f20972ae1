#include "delivery/ramp.h"

#include <algorithm>

#include "core/webhook.h"

namespace hookline::delivery {

int ramped_rate_limit(int limit, int64_t healed_at, int64_t now_ms) {
  if (healed_at <= 0) return limit;
  // Another node's clock a little behind counts as the ramp's start.
  const int64_t steps = std::max<int64_t>(0, now_ms - healed_at) / kRampStepMs;
  const int ceiling = limit > 0 ? limit : kMaxRateLimit;
  if (steps >= 30) return limit;
  const int64_t ramped = int64_t{1} << steps;
  return ramped >= ceiling ? limit : static_cast<int>(ramped);
}

}  // namespace hookline::delivery
