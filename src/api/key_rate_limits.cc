#include "api/key_rate_limits.h"

namespace hookline::api {

std::optional<int64_t> KeyRateLimits::refuse(const std::string& key, int64_t now_ms) {
  if (per_second_ <= 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto bucket = buckets_.try_emplace(key, per_second_, now_ms).first;
  if (bucket->second.take(now_ms)) return std::nullopt;
  return bucket->second.next_allowed_at(now_ms) - now_ms;
}

}  // namespace hookline::api
