#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "delivery/rate_limiter.h"

namespace hookline::api {

// The management API's rate limit (--api-rate-limit): each API key may start `per_second` requests
// a second, in a token bucket that holds one second's worth, so a script that pauses may burst
// that much. Ingest (POST /v1/events and /batch) is not counted: an app server's events are the
// product's load, bounded by --max-body and the store's own back-pressure instead.
//
// Only keys that authenticated are counted, so the table holds at most one bucket per real key.
// Thread-safe: the server's threads share one.
class KeyRateLimits {
 public:
  // 0 turns the limit off.
  explicit KeyRateLimits(int per_second) : per_second_(per_second) {}

  // Takes one request of `key` (its hash, or any stable name of it) at `now_ms`: nullopt when it
  // may go, else how many ms until it may.
  std::optional<int64_t> refuse(const std::string& key, int64_t now_ms);

 private:
  const int per_second_;
  std::mutex mutex_;
  std::unordered_map<std::string, delivery::RateLimiter> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::api
