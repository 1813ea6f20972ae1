#include "delivery/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "core/logger.h"
#include "delivery/attempt.h"
#include "delivery/rate_limiter.h"
#include "delivery/request_builder.h"

namespace hookline::delivery {
using SteadyTime = std::chrono::steady_clock::time_point;

namespace {

// A delivery whose lease ends sooner than this is not started: the store offers it again soon
// (perhaps to another node), and a try that outlived its lease could run twice at once.
constexpr int64_t kLeaseMarginMs = 10000;
// How long shutdown waits, past the grace, for the store to commit the dispatcher's writes.
constexpr std::chrono::seconds kWriteDrainLimit{10};

// ---- Messages to the dispatcher's thread

struct FreshDeliveries {
  std::vector<Delivery> deliveries;
};
struct WebhookChanged {
  std::string webhook_id;
};
struct TryFinished {
  std::string delivery_id;
  OutboundResult result;
};
struct ClaimFinished {
  Result<std::vector<Delivery>> claimed;
};
struct WriteFinished {
  std::string what;  // for the log
  Result<void> result;
};
struct Stop {
  SteadyTime grace_end;
};

using Message =
    std::variant<FreshDeliveries, WebhookChanged, TryFinished, ClaimFinished, WriteFinished, Stop>;

}  // namespace

// The only state shared between threads. Pushes after close() are dropped: a late HTTP callback
// or store completion then changes nothing, and the lease covers its delivery.
class Dispatcher::Inbox {
 public:
  void push(Message message) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      messages_.push_back(std::move(message));
    }
    wake_.notify_one();
  }

  // Every message so far, waiting for one until `until` at the latest.
  std::vector<Message> take(SteadyTime until) {
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, until, [this] { return !messages_.empty(); });
    std::vector<Message> out;
    out.swap(messages_);
    return out;
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    messages_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Message> messages_;  // GUARDED_BY(mutex_)
  bool closed_ = false;            // GUARDED_BY(mutex_)
};

// Everything the dispatcher's thread owns. Every member function runs on that thread, except
// stats(), which reads only atomics, and breaker(), which reads what publish() left under a mutex.
class Dispatcher::Worker {
 public:
  Worker(DispatcherOptions options, store::Store& store, HttpClient& http, const Clock& clock,
         std::shared_ptr<Inbox> inbox)
      : options_(std::move(options)),
        store_(store),
        http_(http),
        clock_(clock),
        inbox_(std::move(inbox)),
        log_(module_logger("delivery")),
        rng_(std::random_device{}()) {}

  void run();
  DispatcherStats stats() const;
  std::optional<BreakerSnapshot> breaker(const std::string& webhook_id) const;

 private:
  struct Entry {
    Delivery delivery;
    bool in_flight = false;
    Attempt attempt;     // while in flight: the attempt being made
    uint64_t probe = 0;  // while in flight: its breaker's probe ticket, 0 when not a probe
  };
  struct WebhookQueue {
    explicit WebhookQueue(const BreakerOptions& breaker_options) : breaker(breaker_options) {}

    std::deque<std::string> waiting;  // delivery ids, oldest first
    int in_flight = 0;
    std::optional<Result<Webhook>> config;  // cached store.get_webhook
    SteadyTime loaded_at;
    Breaker breaker;
    std::optional<RateLimiter> rate;  // while the webhook has a rate limit
    std::optional<SteadyTime> timer;  // the earliest wake-up scheduled for this webhook
  };
  struct Counters {
    std::atomic<int64_t> in_flight = 0, queued = 0, succeeded = 0, failed = 0, dead = 0,
                         released = 0, left_to_lease = 0, write_errors = 0, breakers_open = 0;
  };
  using Timer = std::pair<SteadyTime, std::string>;  // when, which webhook

  void handle(FreshDeliveries& message);
  void handle(WebhookChanged& message);
  void handle(TryFinished& message);
  void handle(ClaimFinished& message);
  void handle(WriteFinished& message);
  void handle(Stop& message);

  SteadyTime wake_at() const;
  bool done_stopping() const;
  void poll_if_due();
  void enqueue(Delivery delivery);
  void pump(const std::string& webhook_id);
  const Result<Webhook>& webhook_config(WebhookQueue& queue, const Delivery& front);
  int in_flight_limit(const Webhook& webhook) const;
  static void follow_rate_limit(WebhookQueue& queue, const Webhook& webhook, int64_t now_ms);
  void start_try(Entry& entry, const Webhook& webhook, WebhookQueue& queue);
  // Drops the waiting deliveries of a queue from memory, leaving them leased.
  void leave_to_lease(WebhookQueue& queue);
  void hold(const std::string& webhook_id, WebhookQueue& queue, const Webhook& webhook,
            int64_t now_ms);
  void judge(const std::string& webhook_id, Breaker& breaker, BreakerVerdict verdict,
             uint64_t probe, int64_t now_ms);
  void publish(const std::string& webhook_id, const Breaker& breaker);
  // Pumps the webhook again at `at_ms` (Unix ms) at the latest.
  void wake_for(const std::string& webhook_id, WebhookQueue& queue, int64_t at_ms);
  void fire_timers();
  void forget_idle_webhooks();
  void record(AttemptRecord record);
  // Gives leased deliveries back to the store, due at `due_at_ms`: now, or when a breaker may let
  // a try through. release_deliveries sets next_attempt_at to it, so the poller does not claim
  // them before.
  void release(std::vector<std::string> ids, int64_t due_at_ms);
  void submit(std::string what, store::WriteJob job);

  const DispatcherOptions options_;
  store::Store& store_;
  HttpClient& http_;
  const Clock& clock_;
  const std::shared_ptr<Inbox> inbox_;
  const std::shared_ptr<spdlog::logger> log_;
  std::mt19937_64 rng_;

  std::unordered_map<std::string, Entry> entries_;  // every delivery held, by id
  std::unordered_map<std::string, WebhookQueue> webhooks_;
  std::unordered_set<std::string> ready_;  // webhooks that may be able to start a try
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;  // soonest first
  size_t waiting_ = 0;
  size_t in_flight_ = 0;
  int pending_writes_ = 0;  // write jobs (claims included) whose completion has not come back
  bool claiming_ = false;   // a claim is outstanding
  size_t claim_limit_ = 0;  // of the outstanding claim
  SteadyTime next_poll_;
  bool stopping_ = false;
  SteadyTime grace_end_;
  SteadyTime writes_end_;

  Counters counters_;
  mutable std::mutex published_mutex_;
  // Copies of the breakers that are not clean, for breaker().
  std::unordered_map<std::string, Breaker> published_;  // GUARDED_BY(published_mutex_)
};

void Dispatcher::Worker::run() {
  next_poll_ = std::chrono::steady_clock::now();
  while (true) {
    std::vector<Message> messages = inbox_->take(wake_at());
    // An exception here is a broken invariant or an allocation failure: log it and carry on,
    // since every delivery involved is still covered by its lease.
    try {
      for (Message& message : messages) {
        std::visit([this](auto& m) { handle(m); }, message);
      }
      if (stopping_ && done_stopping()) break;
      poll_if_due();
      fire_timers();
      std::unordered_set<std::string> ready;
      ready.swap(ready_);
      for (const std::string& webhook_id : ready) pump(webhook_id);
    } catch (const std::exception& e) {
      log_->critical("dispatcher: {}", e.what());
    }
    counters_.in_flight.store(static_cast<int64_t>(in_flight_), std::memory_order_relaxed);
    counters_.queued.store(static_cast<int64_t>(waiting_), std::memory_order_relaxed);
  }
  inbox_->close();
  counters_.in_flight.store(static_cast<int64_t>(in_flight_), std::memory_order_relaxed);
  counters_.queued.store(0, std::memory_order_relaxed);
  if (in_flight_ > 0 || pending_writes_ > 0) {
    log_->warn(
        "dispatcher stopped with {} tries in flight and {} writes uncommitted; their "
        "deliveries stay leased",
        in_flight_, pending_writes_);
  }
}

DispatcherStats Dispatcher::Worker::stats() const {
  const auto get = [](const std::atomic<int64_t>& value) {
    return value.load(std::memory_order_relaxed);
  };
  return {get(counters_.in_flight),     get(counters_.queued),       get(counters_.succeeded),
          get(counters_.failed),        get(counters_.dead),         get(counters_.released),
          get(counters_.left_to_lease), get(counters_.write_errors), get(counters_.breakers_open)};
}

std::optional<BreakerSnapshot> Dispatcher::Worker::breaker(const std::string& webhook_id) const {
  std::lock_guard lock(published_mutex_);
  const auto it = published_.find(webhook_id);
  if (it == published_.end()) return std::nullopt;
  return it->second.snapshot(clock_.now_ms());
}

SteadyTime Dispatcher::Worker::wake_at() const {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (stopping_) return in_flight_ > 0 && now < grace_end_ ? grace_end_ : writes_end_;
  // With a claim outstanding or no room, the next message is what matters; the timeout only
  // bounds the wait.
  SteadyTime at = claiming_ || entries_.size() >= options_.max_queued ? now + options_.poll_interval
                                                                      : next_poll_;
  if (!timers_.empty()) at = std::min(at, timers_.top().first);  // a token, a breaker's probe
  return std::max(now, at);
}

bool Dispatcher::Worker::done_stopping() const {
  const SteadyTime now = std::chrono::steady_clock::now();
  const bool tries_done = in_flight_ == 0 || now >= grace_end_;
  const bool writes_done = pending_writes_ == 0 || now >= writes_end_;
  return tries_done && writes_done;
}

void Dispatcher::Worker::handle(FreshDeliveries& message) {
  std::vector<std::string> give_back;
  for (Delivery& delivery : message.deliveries) {
    if (entries_.contains(delivery.id)) continue;
    if (stopping_ || entries_.size() >= options_.max_queued) {
      give_back.push_back(delivery.id);
      continue;
    }
    enqueue(std::move(delivery));
  }
  if (!give_back.empty()) release(std::move(give_back), clock_.now_ms());
}

void Dispatcher::Worker::handle(WebhookChanged& message) {
  const auto it = webhooks_.find(message.webhook_id);
  if (it == webhooks_.end()) return;
  it->second.config.reset();
  ready_.insert(message.webhook_id);
}

void Dispatcher::Worker::handle(ClaimFinished& message) {
  --pending_writes_;
  claiming_ = false;
  next_poll_ = std::chrono::steady_clock::now() + options_.poll_interval;
  if (!message.claimed) {
    counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
    log_->error("claiming due deliveries failed: {}", message.claimed.error().message);
    return;
  }
  std::vector<Delivery>& claimed = *message.claimed;
  // A full batch means more is due: ask again straight away instead of after a poll interval.
  if (claimed.size() >= claim_limit_) next_poll_ = std::chrono::steady_clock::now();
  std::vector<std::string> give_back;
  for (Delivery& delivery : claimed) {
    if (const auto it = entries_.find(delivery.id); it != entries_.end()) {
      // Held already, its lease ran out meanwhile and was renewed by this claim.
      if (!it->second.in_flight) it->second.delivery.next_attempt_at = delivery.next_attempt_at;
      continue;
    }
    if (stopping_ || entries_.size() >= options_.max_queued) {
      give_back.push_back(delivery.id);
      continue;
    }
    enqueue(std::move(delivery));
  }
  if (!give_back.empty()) release(std::move(give_back), clock_.now_ms());
  forget_idle_webhooks();
}

void Dispatcher::Worker::handle(TryFinished& message) {
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
    --queue->second.in_flight;
    ready_.insert(queue->first);
    judge(queue->first, queue->second.breaker, breaker_verdict(message.result, classification),
          entry.probe, now);
  }

  std::optional<int64_t> next;
  if (classification.kind != Classification::kSuccess) {
    next = next_attempt_at(options_.schedule, entry.delivery.round_attempts() + 1, classification,
                           now, std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
  }
  AttemptRecord outcome =
      attempt_finished(std::move(entry.attempt), message.result, classification, next);
  if (outcome.status == DeliveryStatus::kSucceeded) {
    counters_.succeeded.fetch_add(1, std::memory_order_relaxed);
  } else {
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
    if (outcome.status == DeliveryStatus::kDead) {
      counters_.dead.fetch_add(1, std::memory_order_relaxed);
    }
  }
  record(std::move(outcome));
}

void Dispatcher::Worker::handle(WriteFinished& message) {
  --pending_writes_;
  if (message.result) return;
  counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
  log_->error("{} failed: {}", message.what, message.result.error().message);
}

void Dispatcher::Worker::handle(Stop& message) {
  if (stopping_) return;
  stopping_ = true;
  grace_end_ = message.grace_end;
  writes_end_ = std::max(grace_end_, std::chrono::steady_clock::now()) + kWriteDrainLimit;
  std::vector<std::string> give_back;
  for (auto& [webhook_id, queue] : webhooks_) {
    for (std::string& id : queue.waiting) {
      entries_.erase(id);
      give_back.push_back(std::move(id));
    }
    waiting_ -= queue.waiting.size();
    queue.waiting.clear();
  }
  if (!give_back.empty()) release(std::move(give_back), clock_.now_ms());
}

void Dispatcher::Worker::poll_if_due() {
  if (stopping_ || claiming_ || std::chrono::steady_clock::now() < next_poll_) return;
  if (entries_.size() >= options_.max_queued) return;  // asked again once tries finish
  const size_t room = options_.max_queued - entries_.size();
  claim_limit_ = std::min(room, static_cast<size_t>(options_.claim_batch));
  claiming_ = true;
  ++pending_writes_;
  const int64_t now = clock_.now_ms();
  const int64_t lease_ms = options_.lease_ms;
  const int limit = static_cast<int>(claim_limit_);
  // The job fills `claimed` on the writer's thread; `done` runs after it there, once committed.
  auto claimed = std::make_shared<std::vector<Delivery>>();
  store_.write(
      [claimed, now, lease_ms, limit](store::WriteTxn& txn) -> Result<void> {
        auto result = txn.claim_due_deliveries(now, lease_ms, limit);
        if (!result) return std::unexpected(result.error());
        *claimed = std::move(*result);
        return {};
      },
      [claimed, inbox = inbox_](Result<void> committed) {
        if (committed) {
          inbox->push(ClaimFinished{std::move(*claimed)});
        } else {
          inbox->push(ClaimFinished{std::unexpected(committed.error())});
        }
      });
}

void Dispatcher::Worker::enqueue(Delivery delivery) {
  const std::string id = delivery.id;
  const std::string webhook_id = delivery.webhook_id;
  entries_.emplace(id, Entry{std::move(delivery), false, {}, 0});
  webhooks_.try_emplace(webhook_id, options_.breaker).first->second.waiting.push_back(id);
  ++waiting_;
  ready_.insert(webhook_id);
}

void Dispatcher::Worker::pump(const std::string& webhook_id) {
  const auto found = webhooks_.find(webhook_id);
  if (found == webhooks_.end()) return;
  WebhookQueue& queue = found->second;
  while (!stopping_ && !queue.waiting.empty()) {
    const Result<Webhook>& config =
        webhook_config(queue, entries_.at(queue.waiting.front()).delivery);
    if (!config && config.error().code == ErrorCode::kNotFound) {
      // Its webhook is gone: no try can ever be made.
      const int64_t now = clock_.now_ms();
      for (const std::string& id : queue.waiting) {
        record(attempt_not_sent(entries_.at(id).delivery, "", "", "webhook_deleted",
                                "the webhook was deleted", now));
        counters_.failed.fetch_add(1, std::memory_order_relaxed);
        counters_.dead.fetch_add(1, std::memory_order_relaxed);
        entries_.erase(id);
      }
      waiting_ -= queue.waiting.size();
      queue.waiting.clear();
      queue.breaker = Breaker(options_.breaker);  // nothing left to protect
      publish(webhook_id, queue.breaker);
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
    if (!config->spec.enabled) return leave_to_lease(queue);
    const Webhook& webhook = *config;
    if (queue.in_flight >= in_flight_limit(webhook)) return;  // a finished try pumps again

    const int64_t now = clock_.now_ms();
    if (now > entries_.at(queue.waiting.front()).delivery.next_attempt_at - kLeaseMarginMs) {
      entries_.erase(queue.waiting.front());
      queue.waiting.pop_front();
      --waiting_;
      counters_.left_to_lease.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!queue.breaker.allows_attempt(now)) return hold(webhook_id, queue, webhook, now);
    follow_rate_limit(queue, webhook, now);
    if (queue.rate && !queue.rate->take(now)) {
      return wake_for(webhook_id, queue, queue.rate->next_allowed_at(now));
    }
    const std::string id = std::move(queue.waiting.front());
    queue.waiting.pop_front();
    --waiting_;
    start_try(entries_.at(id), webhook, queue);
  }
}

const Result<Webhook>& Dispatcher::Worker::webhook_config(WebhookQueue& queue,
                                                          const Delivery& front) {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (!queue.config || now - queue.loaded_at >= options_.webhook_cache_ttl) {
    queue.config = store_.get_webhook(front.workspace_id, front.webhook_id);
    queue.loaded_at = now;
  }
  return *queue.config;
}

int Dispatcher::Worker::in_flight_limit(const Webhook& webhook) const {
  return std::clamp(webhook.spec.max_in_flight, 1, options_.max_in_flight_per_webhook);
}

// A new rate (or a new limit) starts with a full bucket.
void Dispatcher::Worker::follow_rate_limit(WebhookQueue& queue, const Webhook& webhook,
                                           int64_t now_ms) {
  const int rate = std::min(webhook.spec.rate_limit_per_second, RateLimiter::kMaxPerSecond);
  if (rate <= 0) {
    queue.rate.reset();
  } else if (!queue.rate || queue.rate->per_second() != rate) {
    queue.rate.emplace(rate, now_ms);
  }
}

void Dispatcher::Worker::start_try(Entry& entry, const Webhook& webhook, WebhookQueue& queue) {
  const int64_t now = clock_.now_ms();
  templates::Warnings warnings;
  auto request = prepare_request(webhook, entry.delivery, now, warnings);
  if (!request) {
    record(attempt_not_sent(entry.delivery, webhook.spec.method, webhook.spec.url,
                            "invalid_request", request.error().message, now));
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
    counters_.dead.fetch_add(1, std::memory_order_relaxed);
    entries_.erase(entry.delivery.id);
    return;
  }
  for (const std::string& warning : warnings) {
    log_->debug("delivery {}: {}", entry.delivery.id, warning);
  }
  entry.attempt = attempt_started(entry.delivery, masked_for_display(*request, webhook), now);
  entry.probe = queue.breaker.attempt_started(now);
  entry.in_flight = true;
  std::string().swap(entry.delivery.body);  // the request holds the bytes; no second copy
  ++queue.in_flight;
  ++in_flight_;
  http_.send(std::move(*request), [inbox = inbox_, id = entry.delivery.id](OutboundResult result) {
    inbox->push(TryFinished{id, std::move(result)});
  });
}

void Dispatcher::Worker::leave_to_lease(WebhookQueue& queue) {
  for (const std::string& id : queue.waiting) entries_.erase(id);
  counters_.left_to_lease.fetch_add(static_cast<int64_t>(queue.waiting.size()),
                                    std::memory_order_relaxed);
  waiting_ -= queue.waiting.size();
  queue.waiting.clear();
}

// The breaker holds the webhook's tries back. What may wait until the breaker can let a try
// through (`resume_at`) stays in memory, up to max_held_per_webhook; the rest goes back to the
// store due at resume_at, so the poller does not claim it again before: an open breaker never
// makes a claim/release loop.
void Dispatcher::Worker::hold(const std::string& webhook_id, WebhookQueue& queue,
                              const Webhook& webhook, int64_t now_ms) {
  int64_t resume_at;
  if (queue.breaker.state(now_ms) == BreakerState::kOpen) {
    resume_at = queue.breaker.open_until();
    wake_for(webhook_id, queue, resume_at);  // for the probe
  } else {
    // Half-open with the probe out: its answer comes within its timeout, and pumps again.
    resume_at = now_ms + webhook.spec.timeout_ms;
  }
  std::deque<std::string> kept;
  std::vector<std::string> give_back;
  for (std::string& id : queue.waiting) {
    const int64_t lease_end = entries_.at(id).delivery.next_attempt_at;
    if (kept.size() < options_.max_held_per_webhook && lease_end - kLeaseMarginMs > resume_at) {
      kept.push_back(std::move(id));
    } else {
      entries_.erase(id);
      give_back.push_back(std::move(id));
    }
  }
  waiting_ -= give_back.size();
  queue.waiting.swap(kept);
  if (!give_back.empty()) release(std::move(give_back), resume_at);
}

void Dispatcher::Worker::judge(const std::string& webhook_id, Breaker& breaker,
                               BreakerVerdict verdict, uint64_t probe, int64_t now_ms) {
  const bool was_clean = breaker.clean();
  const BreakerState before = breaker.state(now_ms);
  switch (verdict) {
    case BreakerVerdict::kSuccess:
      breaker.record_success();
      break;
    case BreakerVerdict::kFailure:
      breaker.record_failure(now_ms, probe);
      break;
    case BreakerVerdict::kNeutral:
      breaker.record_neutral(probe);
      break;
  }
  if (was_clean && breaker.clean()) return;
  const BreakerState after = breaker.state(now_ms);
  if (after == BreakerState::kOpen && before != BreakerState::kOpen) {
    log_->warn("webhook {}: breaker open after {} failures in a row; next probe in {} ms",
               webhook_id, breaker.consecutive_failures(), breaker.open_until() - now_ms);
  } else if (after == BreakerState::kClosed && before != BreakerState::kClosed) {
    log_->info("webhook {}: breaker closed", webhook_id);
  }
  publish(webhook_id, breaker);
}

void Dispatcher::Worker::publish(const std::string& webhook_id, const Breaker& breaker) {
  std::lock_guard lock(published_mutex_);
  if (breaker.clean()) {
    published_.erase(webhook_id);
  } else {
    published_.insert_or_assign(webhook_id, breaker);
  }
  const auto open = std::count_if(published_.begin(), published_.end(),
                                  [](const auto& item) { return item.second.open_until() != 0; });
  counters_.breakers_open.store(static_cast<int64_t>(open), std::memory_order_relaxed);
}

void Dispatcher::Worker::wake_for(const std::string& webhook_id, WebhookQueue& queue,
                                  int64_t at_ms) {
  const SteadyTime at = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(std::max<int64_t>(0, at_ms - clock_.now_ms()));
  if (queue.timer && *queue.timer <= at) return;  // woken up sooner anyway
  queue.timer = at;
  timers_.emplace(at, webhook_id);
}

void Dispatcher::Worker::fire_timers() {
  const SteadyTime now = std::chrono::steady_clock::now();
  while (!timers_.empty() && timers_.top().first <= now) {
    const std::string webhook_id = timers_.top().second;
    timers_.pop();
    const auto it = webhooks_.find(webhook_id);
    if (it == webhooks_.end()) continue;
    if (it->second.timer && *it->second.timer <= now) it->second.timer.reset();
    ready_.insert(webhook_id);
  }
}

// Keeps the map of webhooks from growing with every webhook ever seen; a cached configuration is
// kept while it is fresh, so bursts to one webhook read it once. A breaker that is not clean and
// a rate limiter that is not full are state worth keeping, so their webhook stays. (A webhook
// whose breaker opened and which then gets no deliveries stays too: one entry per such webhook.)
void Dispatcher::Worker::forget_idle_webhooks() {
  const SteadyTime now = std::chrono::steady_clock::now();
  const int64_t now_ms = clock_.now_ms();
  std::erase_if(webhooks_, [&](const auto& item) {
    const WebhookQueue& queue = item.second;
    return queue.waiting.empty() && queue.in_flight == 0 &&
           (!queue.config || now - queue.loaded_at >= options_.webhook_cache_ttl) &&
           queue.breaker.clean() && (!queue.rate || queue.rate->full(now_ms));
  });
}

void Dispatcher::Worker::record(AttemptRecord record) {
  const int64_t now = clock_.now_ms();
  std::string what = "recording attempt " + std::to_string(record.attempt.number) +
                     " of delivery " + record.attempt.delivery_id;
  submit(std::move(what), [record = std::move(record), now](store::WriteTxn& txn) {
    return txn.record_attempt(record, now);
  });
}

void Dispatcher::Worker::release(std::vector<std::string> ids, int64_t due_at_ms) {
  counters_.released.fetch_add(static_cast<int64_t>(ids.size()), std::memory_order_relaxed);
  std::string what = "releasing " + std::to_string(ids.size()) + " deliveries";
  submit(std::move(what), [ids = std::move(ids), due_at_ms](store::WriteTxn& txn) {
    return txn.release_deliveries(ids, due_at_ms);
  });
}

void Dispatcher::Worker::submit(std::string what, store::WriteJob job) {
  ++pending_writes_;
  // `done` may run on the writer's thread, or right here when the writer has stopped.
  store_.write(std::move(job), [inbox = inbox_, what = std::move(what)](Result<void> committed) {
    inbox->push(WriteFinished{what, std::move(committed)});
  });
}

// ---- Dispatcher

Dispatcher::Dispatcher(DispatcherOptions options, store::Store& store, HttpClient& http,
                       const Clock& clock)
    : inbox_(std::make_shared<Inbox>()) {
  if (options.schedule.delays.empty()) throw std::invalid_argument("retry schedule is empty");
  if (options.max_in_flight_per_webhook < 1 || options.max_queued < 1 || options.claim_batch < 1 ||
      options.lease_ms <= kLeaseMarginMs || options.poll_interval.count() < 1) {
    throw std::invalid_argument(
        "dispatcher limits must be positive and the lease longer than 10 s");
  }
  [[maybe_unused]] const Breaker checked(options.breaker);  // throws for unusable options
  worker_ = std::make_unique<Worker>(std::move(options), store, http, clock, inbox_);
}

Dispatcher::~Dispatcher() { shutdown(std::chrono::milliseconds(0)); }

void Dispatcher::start() {
  thread_ = std::thread([worker = worker_.get()] { worker->run(); });
}

void Dispatcher::dispatch(std::vector<Delivery> fresh) {
  if (fresh.empty()) return;
  inbox_->push(FreshDeliveries{std::move(fresh)});
}

void Dispatcher::webhook_changed(const std::string& webhook_id) {
  inbox_->push(WebhookChanged{webhook_id});
}

void Dispatcher::shutdown(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) {
    inbox_->close();  // never started, or stopped already
    return;
  }
  inbox_->push(Stop{std::chrono::steady_clock::now() + grace});
  thread_.join();
}

DispatcherStats Dispatcher::stats() const { return worker_->stats(); }

std::optional<BreakerSnapshot> Dispatcher::breaker(const std::string& webhook_id) const {
  return worker_->breaker(webhook_id);
}

}  // namespace hookline::delivery
