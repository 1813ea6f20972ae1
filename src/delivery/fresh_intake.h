#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hookline::delivery {

// Whether the dispatcher wants the deliveries ingest makes next handed to it, leased, or left in
// the store unleased. Handing over saves a claim; but a delivery handed to a webhook with more
// waiting than it drains in a while (or to a full dispatcher) would only be released to the
// store again, due when the webhook could take it: a second write for nothing. So the
// dispatcher's thread marks such webhooks with that time while they are full, and ingest's writer
// asks for each delivery it makes and stores it due then. Thread-safe.
class FreshIntake {
 public:
  // nullopt: hand the delivery over. Otherwise store it unleased, due at that time (Unix ms; 0:
  // now, for whichever node has room).
  std::optional<int64_t> due_instead(const std::string& webhook_id) const {
    if (full_.load(std::memory_order_relaxed)) return 0;
    std::lock_guard lock(mutex_);
    const auto it = due_.find(webhook_id);
    if (it == due_.end()) return std::nullopt;
    return it->second;
  }

  // ---- The dispatcher's thread

  void set_full(bool full) { full_.store(full, std::memory_order_relaxed); }
  bool full() const { return full_.load(std::memory_order_relaxed); }
  // The webhook is full until further notice; what it gets meanwhile is due at `due_at_ms`.
  void set_webhook_full(const std::string& webhook_id, int64_t due_at_ms) {
    std::lock_guard lock(mutex_);
    due_.insert_or_assign(webhook_id, due_at_ms);
  }
  void set_webhook_open(const std::string& webhook_id) {
    std::lock_guard lock(mutex_);
    due_.erase(webhook_id);
  }

 private:
  std::atomic<bool> full_{false};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> due_;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::delivery
