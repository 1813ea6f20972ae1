#include "delivery/dispatcher_metrics.h"

#include <algorithm>

namespace hookline::delivery {
namespace {

// Counters only feed /metrics: no other memory is ordered by them.
void add(std::atomic<int64_t>& counter, size_t count) {
  counter.fetch_add(static_cast<int64_t>(count), std::memory_order_relaxed);
}

int64_t get(const std::atomic<int64_t>& value) { return value.load(std::memory_order_relaxed); }

}  // namespace

void DispatcherMetrics::set_load(size_t in_flight, size_t queued) {
  in_flight_.store(static_cast<int64_t>(in_flight), std::memory_order_relaxed);
  queued_.store(static_cast<int64_t>(queued), std::memory_order_relaxed);
}

void DispatcherMetrics::attempt_recorded(DeliveryStatus status) {
  if (status == DeliveryStatus::kSucceeded) return add(succeeded_, 1);
  add(failed_, 1);
  if (status == DeliveryStatus::kDead) add(dead_, 1);
}

void DispatcherMetrics::released(size_t deliveries) { add(released_, deliveries); }

void DispatcherMetrics::left_to_lease(size_t deliveries) { add(left_to_lease_, deliveries); }

void DispatcherMetrics::write_failed() { add(write_errors_, 1); }

void DispatcherMetrics::show_breaker(const std::string& webhook_id, const Breaker& breaker) {
  std::lock_guard lock(breakers_mutex_);
  if (breaker.clean()) {
    breakers_.erase(webhook_id);
  } else {
    breakers_.insert_or_assign(webhook_id, breaker);
  }
  const auto open = std::count_if(breakers_.begin(), breakers_.end(),
                                  [](const auto& item) { return item.second.open_until() != 0; });
  breakers_open_.store(static_cast<int64_t>(open), std::memory_order_relaxed);
}

DispatcherStats DispatcherMetrics::stats() const {
  return {get(in_flight_), get(queued_),        get(succeeded_),    get(failed_),       get(dead_),
          get(released_),  get(left_to_lease_), get(write_errors_), get(breakers_open_)};
}

std::optional<BreakerSnapshot> DispatcherMetrics::breaker(const std::string& webhook_id,
                                                          int64_t now_ms) const {
  std::lock_guard lock(breakers_mutex_);
  const auto it = breakers_.find(webhook_id);
  if (it == breakers_.end()) return std::nullopt;
  return it->second.snapshot(now_ms);
}

}  // namespace hookline::delivery
