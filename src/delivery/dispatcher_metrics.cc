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

void DispatcherMetrics::attempt_recorded(const AttemptRecord& record, bool sent,
                                         int64_t created_at_ms, int64_t now_ms) {
  const DeliveryStatus status = record.status;
  if (sent) attempt_duration_.observe_ms(record.attempt.duration_ms);
  {
    std::lock_guard lock(webhooks_mutex_);
    auto it = by_webhook_.find(record.attempt.webhook_id);
    if (it == by_webhook_.end()) {
      const bool room = by_webhook_.size() < kMaxWebhookLabels;
      it = by_webhook_.try_emplace(room ? record.attempt.webhook_id : std::string("_other")).first;
    }
    WebhookOutcomes& outcomes = it->second;
    if (status == DeliveryStatus::kSucceeded) {
      ++outcomes.succeeded;
    } else {
      ++outcomes.failed;
      if (status == DeliveryStatus::kDead) ++outcomes.dead;
    }
  }
  if (status == DeliveryStatus::kSucceeded) {
    delivery_latency_.observe_ms(now_ms - created_at_ms);
    return add(succeeded_, 1);
  }
  add(failed_, 1);
  if (status == DeliveryStatus::kDead) add(dead_, 1);
}

void DispatcherMetrics::breaker_transition(bool opened) {
  add(opened ? breakers_opened_ : breakers_closed_, 1);
}

void DispatcherMetrics::webhook_disabled(bool gone) {
  add(gone ? disabled_gone_ : disabled_failing_, 1);
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

void DispatcherMetrics::write_prometheus(PrometheusText& text) const {
  text.family("hookline_attempt_duration_seconds", "histogram",
              "How long the tries this node sent took: request to answer, or to the error.")
      .histogram("hookline_attempt_duration_seconds", {}, attempt_duration_.snapshot());
  text.family("hookline_delivery_latency_seconds", "histogram",
              "Deliveries this node made succeed: from the delivery's creation to its success, "
              "retries included.")
      .histogram("hookline_delivery_latency_seconds", {}, delivery_latency_.snapshot());
  text.family("hookline_breaker_transitions_total", "counter",
              "Circuit breakers of this node that opened (a failed probe reopening one counts too) "
              "or closed.")
      .sample("hookline_breaker_transitions_total", {{"to", "open"}},
              static_cast<double>(get(breakers_opened_)))
      .sample("hookline_breaker_transitions_total", {{"to", "closed"}},
              static_cast<double>(get(breakers_closed_)));
  text.family("hookline_webhooks_disabled_total", "counter",
              "Webhooks this node disabled itself: their receiver answered 410 Gone (gone), or "
              "failed every try for --disable-failing-after (failing).")
      .sample("hookline_webhooks_disabled_total", {{"reason", "gone"}},
              static_cast<double>(get(disabled_gone_)))
      .sample("hookline_webhooks_disabled_total", {{"reason", "failing"}},
              static_cast<double>(get(disabled_failing_)));
  text.family("hookline_webhook_attempts_total", "counter",
              "Tries this node made, by webhook id and outcome (succeeded, failed; dead: the "
              "failed ones that ended their delivery). The first 100 webhooks seen since the start "
              "have their own id; the others count as _other.");
  std::lock_guard lock(webhooks_mutex_);
  for (const auto& [webhook_id, outcomes] : by_webhook_) {
    const std::pair<std::string_view, int64_t> rows[] = {
        {"succeeded", outcomes.succeeded}, {"failed", outcomes.failed}, {"dead", outcomes.dead}};
    for (const auto& [outcome, value] : rows) {
      text.sample("hookline_webhook_attempts_total",
                  {{"webhook", webhook_id}, {"outcome", outcome}}, static_cast<double>(value));
    }
  }
}

}  // namespace hookline::delivery
