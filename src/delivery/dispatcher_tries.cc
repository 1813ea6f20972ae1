#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "delivery/attempt.h"
#include "delivery/dispatcher_worker.h"
#include "outbound/request_builder.h"

// The dispatcher's send path, per webhook: start the tries its gate (WebhookGate) admits, hold
// back or leave to their lease the deliveries it does not, and take each try's result: the breaker
// hears of it and the attempt is recorded. Runs on the dispatcher's thread (dispatcher_worker.h).
namespace hookline::delivery {

void Dispatcher::Worker::pump(const std::string& webhook_id) {
  const auto found = webhooks_.find(webhook_id);
  if (found == webhooks_.end()) return;
  WebhookQueue& queue = found->second;
  while (!stopping_ && !queue.waiting.empty()) {
    const Result<std::shared_ptr<const outbound::CompiledWebhook>>& config =
        webhook_config(queue, entries_.at(queue.waiting.front()).delivery);
    if (!config && config.error().code == ErrorCode::kNotFound) {
      // Its webhook is gone: no try can ever be made.
      const int64_t now = clock_.now_ms();
      for (const std::string& id : queue.waiting) {
        const Delivery& delivery = entries_.at(id).delivery;
        AttemptRecord not_sent =
            attempt_not_sent(delivery, "", "", "webhook_deleted", "the webhook was deleted", now);
        metrics_.attempt_recorded(not_sent, false, delivery.created_at, now);
        record(std::move(not_sent));
        entries_.erase(id);
      }
      waiting_ -= queue.waiting.size();
      queue.waiting.clear();
      queue.gate.reset_breaker();
      metrics_.show_breaker(webhook_id, queue.gate.breaker());
      return;
    }
    if (!config) {
      log_->error("cannot read webhook {}: {}; its deliveries wait for their lease to end",
                  webhook_id, config.error().message);
      return leave_to_lease(queue);
    }
    // A disabled webhook holds its deliveries: they stay leased, out of memory, until it is
    // enabled again (the API then releases them, due now) or their lease ends (the poller claims
    // them and they come back here, to be left again).
    const outbound::CompiledWebhook& webhook = **config;
    if (!webhook.webhook().spec.enabled) return leave_to_lease(queue);
    const Admission admission = queue.gate.admit(
        webhook.webhook().spec, entries_.at(queue.waiting.front()).delivery.next_attempt_at,
        clock_.now_ms(), nodes_, webhook.webhook().healed_at);
    switch (admission.kind) {
      case Admission::kNoSlot:
        return;  // a finished try pumps again
      case Admission::kLeaseEnding:
        release_lease_ending(queue, webhook.webhook().spec);
        continue;
      case Admission::kBreakerHolds:
        if (admission.wake_up) wake_for(webhook_id, queue, admission.resume_at);
        return hold(queue, webhook.webhook().spec, admission.resume_at);
      case Admission::kNoToken:
        return wake_for(webhook_id, queue, admission.resume_at);
      case Admission::kStart:
        break;
    }
    const std::string id = std::move(queue.waiting.front());
    queue.waiting.pop_front();
    --waiting_;
    start_try(entries_.at(id), webhook, queue);
  }
}

const Result<std::shared_ptr<const outbound::CompiledWebhook>>& Dispatcher::Worker::webhook_config(
    WebhookQueue& queue, const Delivery& front) {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (!queue.config || now - queue.loaded_at >= options_.webhook_cache_ttl) {
    auto webhook = webhook_store_.get_webhook(front.workspace_id, front.webhook_id);
    if (webhook) {
      queue.config = std::make_shared<const outbound::CompiledWebhook>(
          outbound::CompiledWebhook::compile(std::move(*webhook)));
    } else {
      queue.config = std::unexpected(std::move(webhook.error()));
    }
    queue.loaded_at = now;
  }
  return *queue.config;
}

void Dispatcher::Worker::start_try(Entry& entry, const outbound::CompiledWebhook& webhook,
                                   WebhookQueue& queue) {
  const int64_t now = clock_.now_ms();
  templates::Warnings warnings;
  // The request takes the body: the entry keeps no second copy while the try is out.
  auto request = prepare_request(webhook, entry.delivery.id, std::exchange(entry.delivery.body, {}),
                                 now, warnings);
  if (!request) {
    const WebhookSpec& spec = webhook.webhook().spec;
    AttemptRecord not_sent = attempt_not_sent(entry.delivery, spec.method, spec.url,
                                              "invalid_request", request.error().message, now);
    metrics_.attempt_recorded(not_sent, false, entry.delivery.created_at, now);
    record(std::move(not_sent));
    entries_.erase(entry.delivery.id);
    return;
  }
  for (const std::string& warning : warnings) {
    log_->debug("delivery {}: {}", entry.delivery.id, warning);
  }
  entry.attempt = attempt_started(
      entry.delivery, *request, outbound::masked_headers(request->headers, webhook.webhook()), now);
  entry.probe = queue.gate.try_started(now);
  entry.in_flight = true;
  ++in_flight_;
  http_.send(std::move(*request),
             [inbox = inbox_, id = entry.delivery.id](outbound::OutboundResult result) {
               inbox->push(Inbox::TryFinished{id, std::move(result)});
             });
}

void Dispatcher::Worker::handle(Inbox::TryFinished& message) {
  const auto it = entries_.find(message.delivery_id);
  if (it == entries_.end() || !it->second.in_flight) {
    log_->error("result for delivery {} that is not in flight", message.delivery_id);
    return;
  }
  Entry entry = std::move(it->second);
  entries_.erase(it);
  --in_flight_;
  const int64_t now = clock_.now_ms();
  const Classification classification = classify(message.result, now);
  // A queue with a try in flight is never forgotten.
  if (const auto queue = webhooks_.find(entry.delivery.webhook_id); queue != webhooks_.end()) {
    WebhookGate& gate = queue->second.gate;
    ready_.insert(queue->first);
    const BreakerVerdict verdict = breaker_verdict(message.result, classification);
    BreakerChange change = gate.try_finished(verdict, entry.probe, now);
    breaker_changed(queue->first, gate.breaker(), change, now);
    if (verdict == BreakerVerdict::kSuccess && !queue->second.success_told) {
      queue->second.success_told = true;
      change = BreakerChange::kClosed;
    }
    share_breaker(entry.delivery, gate.breaker(), change);
  }

  if (message.result.response && message.result.response->status == 410) {
    disable(entry.delivery.workspace_id, entry.delivery.webhook_id, "gone",
            "its receiver answered 410 Gone", now);
  }

  std::optional<int64_t> next;
  if (classification.kind != Classification::kSuccess) {
    next = next_attempt_at(options_.schedule, entry.delivery.round_attempts() + 1, classification,
                           now, std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
  }
  AttemptRecord outcome =
      attempt_finished(std::move(entry.attempt), message.result, classification, next);
  outcome.lease = std::move(entry.delivery.lease);
  outcome.order_key = entry.delivery.order_key;
  metrics_.attempt_recorded(outcome, true, entry.delivery.created_at, now);
  record(std::move(outcome));
}

void Dispatcher::Worker::breaker_changed(const std::string& webhook_id, const Breaker& breaker,
                                         BreakerChange change, int64_t now_ms) {
  switch (change) {
    case BreakerChange::kNone:
      return;
    case BreakerChange::kOpened:
      metrics_.breaker_transition(true);
      log_->warn("webhook {}: breaker open after {} failures in a row; next probe in {} ms",
                 webhook_id, breaker.consecutive_failures(), breaker.open_until() - now_ms);
      break;
    case BreakerChange::kClosed:
      metrics_.breaker_transition(false);
      log_->info("webhook {}: breaker closed", webhook_id);
      break;
    case BreakerChange::kCounted:
      break;
  }
  metrics_.show_breaker(webhook_id, breaker);
}

// Standard Webhooks' advice: 410 Gone means the endpoint will never take calls again, so the
// webhook is disabled at once rather than failing every delivery through its retries; one that
// has failed for days is disabled too (handle(BreakerStored)). Rare, so the store is written from
// this thread; what waits stays held (the next pump reloads the webhook and sees it disabled)
// until a user enables it again.
void Dispatcher::Worker::disable(const std::string& workspace_id, const std::string& webhook_id,
                                 const std::string& reason, const std::string& why,
                                 int64_t now_ms) {
  auto disabled = webhook_store_.disable_webhook(workspace_id, webhook_id, reason, now_ms);
  if (!disabled) {
    log_->error("webhook {}: {}, and disabling it failed: {}", webhook_id, why,
                disabled.error().message);
    return;
  }
  if (!*disabled) return;  // disabled already, or deleted
  metrics_.webhook_disabled(reason == "gone");
  log_->warn("webhook {}: {}; the webhook is disabled until a user enables it again", webhook_id,
             why);
  if (const auto queue = webhooks_.find(webhook_id); queue != webhooks_.end()) {
    queue->second.config.reset();
  }
  if (!options_.on_webhook_news) return;
  WebhookNews news{workspace_id, webhook_id, "", "", false, reason, why, now_ms};
  // Read again, as rare as disabling is: the cached copy may be gone, or older than the change.
  if (auto webhook = webhook_store_.get_webhook(workspace_id, webhook_id)) {
    news.webhook_name = webhook->spec.name;
    news.url = webhook->spec.url;
  } else {
    log_->warn("webhook {}: its name for the webhook.disabled event cannot be read: {}", webhook_id,
               webhook.error().message);
  }
  options_.on_webhook_news(std::move(news));
}

void Dispatcher::Worker::leave_to_lease(WebhookQueue& queue) {
  for (const std::string& id : queue.waiting) entries_.erase(id);
  metrics_.left_to_lease(queue.waiting.size());
  waiting_ -= queue.waiting.size();
  queue.waiting.clear();
}

// The waiting deliveries at the front waited in memory (behind the webhook's slots, or a dispatcher
// with more to send than it can) until too little of their lease is left for a try. Left to their
// lease, they would wait for it to end, up to a whole lease, before the store offered them again;
// released, they are claimed afresh once due: a second from now, or when the webhook could take
// them at its recent pace (WebhookGate::over_cap) if that is sooner than their leases end, so a
// slow webhook's excess is not claimed and released over and over. The store refuses the release of
// a lease that ended and was taken by another node, so no try can run twice at once.
void Dispatcher::Worker::release_lease_ending(WebhookQueue& queue, const WebhookSpec& spec) {
  const int64_t now = clock_.now_ms();
  std::vector<LeaseRef> give_back;
  std::string webhook_id;
  int64_t lease_end = now;
  while (!queue.waiting.empty()) {
    const Delivery& delivery = entries_.at(queue.waiting.front()).delivery;
    if (now <= delivery.next_attempt_at - lease_margin_ms(spec)) break;
    webhook_id = delivery.webhook_id;
    lease_end = std::max(lease_end, delivery.next_attempt_at);
    give_back.push_back(delivery.lease_ref());
    entries_.erase(queue.waiting.front());
    queue.waiting.pop_front();
  }
  waiting_ -= give_back.size();
  // Never later than their leases would have made them due again anyway.
  const int64_t earliest = now + kMinDeferMs;
  const int64_t estimate =
      queue.gate.over_cap(queue.waiting.size() + give_back.size(), spec, now).value_or(earliest);
  const int64_t due = std::clamp(estimate, earliest, std::max(earliest, lease_end));
  if (!give_back.empty()) note_deferred(webhook_id, due);
  release(std::move(give_back), due);
}

// The breaker holds the webhook's tries back until `resume_at`: the gate picks what waits in memory
// till then; the rest goes back to the store, due at resume_at.
void Dispatcher::Worker::hold(WebhookQueue& queue, const WebhookSpec& spec, int64_t resume_at) {
  std::deque<std::string> kept;
  std::vector<LeaseRef> give_back;
  for (std::string& id : queue.waiting) {
    const Delivery& delivery = entries_.at(id).delivery;
    if (queue.gate.holds(spec, kept.size(), delivery.next_attempt_at, resume_at)) {
      kept.push_back(std::move(id));
    } else {
      give_back.push_back(delivery.lease_ref());
      entries_.erase(id);
    }
  }
  waiting_ -= give_back.size();
  queue.waiting.swap(kept);
  if (!give_back.empty()) release(std::move(give_back), resume_at);
}

void Dispatcher::Worker::wake_for(const std::string& webhook_id, WebhookQueue& queue,
                                  int64_t at_ms) {
  const SteadyTime at = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(std::max<int64_t>(0, at_ms - clock_.now_ms()));
  if (queue.gate.wake_up_at(at)) timers_.emplace(at, webhook_id);
}

void Dispatcher::Worker::fire_timers() {
  const SteadyTime now = std::chrono::steady_clock::now();
  while (!timers_.empty() && timers_.top().first <= now) {
    const std::string webhook_id = timers_.top().second;
    timers_.pop();
    const auto it = webhooks_.find(webhook_id);
    if (it == webhooks_.end()) continue;
    it->second.gate.woken(now);
    ready_.insert(webhook_id);
  }
}

}  // namespace hookline::delivery
