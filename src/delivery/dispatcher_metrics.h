#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/delivery.h"
#include "delivery/breaker.h"
#include "delivery/dispatcher.h"

namespace hookline::delivery {

// What the dispatcher shows: the counters and gauges of /metrics (DispatcherStats) and the breakers
// of the API. The dispatcher's thread updates them; any thread reads them.
class DispatcherMetrics {
 public:
  // ---- Updates, from the dispatcher's thread

  // Gauges, as of the end of the thread's turn.
  void set_load(size_t in_flight, size_t queued);
  // An attempt was recorded that left its delivery in `status`: succeeded, or failed (retrying,
  // or dead).
  void attempt_recorded(DeliveryStatus status);
  void released(size_t deliveries);
  void left_to_lease(size_t deliveries);
  void write_failed();
  // The webhook's breaker changed: shown from now on, or forgotten once clean.
  void show_breaker(const std::string& webhook_id, const Breaker& breaker);

  // ---- Reads, thread-safe

  DispatcherStats stats() const;
  // The breaker last shown for the webhook, its state read at `now_ms`; nullopt when clean.
  std::optional<BreakerSnapshot> breaker(const std::string& webhook_id, int64_t now_ms) const;

 private:
  std::atomic<int64_t> in_flight_ = 0, queued_ = 0, succeeded_ = 0, failed_ = 0, dead_ = 0,
                       released_ = 0, left_to_lease_ = 0, write_errors_ = 0, breakers_open_ = 0;
  mutable std::mutex breakers_mutex_;
  // Copies of the breakers that are not clean.
  std::unordered_map<std::string, Breaker> breakers_;  // GUARDED_BY(breakers_mutex_)
};

}  // namespace hookline::delivery
