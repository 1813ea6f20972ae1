#pragma once

#include <cstdint>

namespace hookline::delivery {

// A receiver that self-healing just enabled again (Webhook::healed_at) is not handed its whole
// backlog at once: its rate limit starts at 1 call a second and doubles every kRampStepMs until it
// reaches the webhook's own limit (kMaxRateLimit when it has none, about 70 s); from then the
// limit is its own again.
inline constexpr int64_t kRampStepMs = 5000;

// The rate limit in force at `now_ms` for a webhook whose own is `limit` (0: none) and that
// healed at `healed_at` (0: never).
int ramped_rate_limit(int limit, int64_t healed_at, int64_t now_ms);

}  // namespace hookline::delivery
