#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/delivery.h"
#include "core/histogram.h"
#include "core/prometheus_text.h"
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
  // A try's outcome is being recorded (record.status: succeeded, or failed: retrying or dead).
  // `sent`: the request went out (its duration counts); the delivery was made at created_at_ms.
  void attempt_recorded(const AttemptRecord& record, bool sent, int64_t created_at_ms,
                        int64_t now_ms);
  void released(size_t deliveries);
  void left_to_lease(size_t deliveries);
  void write_failed();
  // The webhook's breaker changed: shown from now on, or forgotten once clean.
  void show_breaker(const std::string& webhook_id, const Breaker& breaker);
  // A breaker opened (or opened again after its probe failed), or closed.
  void breaker_transition(bool opened);
  // This node disabled a webhook itself: its receiver was gone (410), or it kept failing.
  void webhook_disabled(bool gone);

  // ---- Reads, thread-safe

  DispatcherStats stats() const;
  // The breaker last shown for the webhook, its state read at `now_ms`; nullopt when clean.
  std::optional<BreakerSnapshot> breaker(const std::string& webhook_id, int64_t now_ms) const;
  // The histograms and per-webhook counters, in Prometheus text (DispatcherStats has the rest).
  void write_prometheus(PrometheusText& text) const;

  // Webhooks counted under their own id in hookline_webhook_attempts_total; the tries of any
  // further webhook count under webhook="_other", so a scrape stays bounded however many there are.
  static constexpr size_t kMaxWebhookLabels = 100;

 private:
  std::atomic<int64_t> in_flight_ = 0, queued_ = 0, succeeded_ = 0, failed_ = 0, dead_ = 0,
                       released_ = 0, left_to_lease_ = 0, write_errors_ = 0, breakers_open_ = 0,
                       breakers_opened_ = 0, breakers_closed_ = 0, disabled_gone_ = 0,
                       disabled_failing_ = 0;
  Histogram attempt_duration_{kCallBoundsSeconds};  // tries sent: request to answer or error
  Histogram delivery_latency_{kCallBoundsSeconds};  // deliveries that succeeded: made to success

  struct WebhookOutcomes {
    int64_t succeeded = 0, failed = 0, dead = 0;
  };
  mutable std::mutex webhooks_mutex_;
  std::unordered_map<std::string, WebhookOutcomes> by_webhook_;  // GUARDED_BY(webhooks_mutex_)
  mutable std::mutex breakers_mutex_;
  // Copies of the breakers that are not clean.
  std::unordered_map<std::string, Breaker> breakers_;  // GUARDED_BY(breakers_mutex_)
};

}  // namespace hookline::delivery
