#include "delivery/dispatcher.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "core/logger.h"
#include "delivery/attempt.h"
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
// stats(), which reads only atomics.
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

 private:
  struct Entry {
    Delivery delivery;
    bool in_flight = false;
    Attempt attempt;  // while in flight: the attempt being made
  };
  struct WebhookQueue {
    std::deque<std::string> waiting;  // delivery ids, oldest first
    int in_flight = 0;
    std::optional<Result<Webhook>> config;  // cached store.get_webhook
    SteadyTime loaded_at;
  };
  struct Counters {
    std::atomic<int64_t> in_flight = 0, queued = 0, succeeded = 0, failed = 0, dead = 0,
                         released = 0, left_to_lease = 0, write_errors = 0;
  };

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
  void start_try(Entry& entry, const Webhook& webhook, WebhookQueue& queue);
  // Drops the waiting deliveries of a queue from memory, leaving them leased.
  void leave_to_lease(WebhookQueue& queue);
  void forget_idle_webhooks();
  void record(AttemptRecord record);
  void release(std::vector<std::string> ids);
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
  return {get(counters_.in_flight),     get(counters_.queued),      get(counters_.succeeded),
          get(counters_.failed),        get(counters_.dead),        get(counters_.released),
          get(counters_.left_to_lease), get(counters_.write_errors)};
}

SteadyTime Dispatcher::Worker::wake_at() const {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (stopping_) return in_flight_ > 0 && now < grace_end_ ? grace_end_ : writes_end_;
  // With a claim outstanding or no room, the next message is what matters; the timeout only
  // bounds the wait.
  if (claiming_ || entries_.size() >= options_.max_queued) return now + options_.poll_interval;
  return std::max(now, next_poll_);
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
  if (!give_back.empty()) release(std::move(give_back));
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
  if (!give_back.empty()) release(std::move(give_back));
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
  if (const auto queue = webhooks_.find(entry.delivery.webhook_id); queue != webhooks_.end()) {
    --queue->second.in_flight;
    ready_.insert(queue->first);
  }

  const int64_t now = clock_.now_ms();
  const Classification classification = classify(message.result, now);
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
  if (!give_back.empty()) release(std::move(give_back));
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
  entries_.emplace(id, Entry{std::move(delivery), false, {}});
  webhooks_[webhook_id].waiting.push_back(id);
  ++waiting_;
  ready_.insert(webhook_id);
}

void Dispatcher::Worker::pump(const std::string& webhook_id) {
  const auto found = webhooks_.find(webhook_id);
  if (found == webhooks_.end()) return;
  WebhookQueue& queue = found->second;
  while (!stopping_ && !queue.waiting.empty() &&
         queue.in_flight < options_.max_in_flight_per_webhook) {
    Entry& front = entries_.at(queue.waiting.front());
    const Result<Webhook>& config = webhook_config(queue, front.delivery);
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
      return;
    }
    if (!config) {
      log_->error("cannot read webhook {}: {}; its deliveries wait for their lease to end",
                  webhook_id, config.error().message);
      return leave_to_lease(queue);
    }
    // Issue 6 decides what disabling does to pending deliveries; until then they wait in the
    // store. Released (due now) they would be claimed again on every poll.
    if (!config->spec.enabled) return leave_to_lease(queue);

    const std::string id = std::move(queue.waiting.front());
    queue.waiting.pop_front();
    --waiting_;
    Entry& entry = entries_.at(id);
    if (clock_.now_ms() > entry.delivery.next_attempt_at - kLeaseMarginMs) {
      entries_.erase(id);
      counters_.left_to_lease.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    start_try(entry, *config, queue);
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

// Keeps the map of webhooks from growing with every webhook ever seen; a cached configuration is
// kept while it is fresh, so bursts to one webhook read it once.
void Dispatcher::Worker::forget_idle_webhooks() {
  const SteadyTime now = std::chrono::steady_clock::now();
  std::erase_if(webhooks_, [&](const auto& item) {
    const WebhookQueue& queue = item.second;
    return queue.waiting.empty() && queue.in_flight == 0 &&
           (!queue.config || now - queue.loaded_at >= options_.webhook_cache_ttl);
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

void Dispatcher::Worker::release(std::vector<std::string> ids) {
  counters_.released.fetch_add(static_cast<int64_t>(ids.size()), std::memory_order_relaxed);
  const int64_t now = clock_.now_ms();
  std::string what = "releasing " + std::to_string(ids.size()) + " deliveries";
  submit(std::move(what), [ids = std::move(ids), now](store::WriteTxn& txn) {
    return txn.release_deliveries(ids, now);
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

}  // namespace hookline::delivery
