#include "delivery/dispatcher.h"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "core/thread_name.h"
#include "delivery/dispatcher_inbox.h"
#include "delivery/dispatcher_worker.h"
#include "delivery/webhook_gate.h"

// The dispatcher's facade and its thread's loop: messages in, due deliveries claimed from the
// store, what cannot be kept given back, every write through the store's group commit, and
// shutdown. The send path per webhook is in dispatcher_tries.cc.
namespace hookline::delivery {

namespace {

// How long shutdown waits, past the grace, for the store to commit the dispatcher's writes.
constexpr std::chrono::seconds kWriteDrainLimit{10};

}  // namespace

void Dispatcher::Worker::run() {
  next_poll_ = std::chrono::steady_clock::now();
  while (true) {
    // An exception here is a broken invariant or an allocation failure: log it and carry on,
    // since every delivery involved is still covered by its lease.
    try {
      http_.work();  // tries that ended push TryFinished, taken just below
      std::vector<Inbox::Message> messages = inbox_->take();
      for (Inbox::Message& message : messages) {
        std::visit([this](auto& m) { handle(m); }, message);
      }
      flush_records();  // before the check: a write in hand keeps the loop going until it commits
      if (stopping_ && done_stopping()) break;
      poll_if_due();
      fire_timers();
      std::unordered_set<std::string> ready;
      ready.swap(ready_);
      for (const std::string& webhook_id : ready) pump(webhook_id);
      flush_records();
      update_intake();
    } catch (const std::exception& e) {
      log_->critical("dispatcher: {}", e.what());
    }
    metrics_.set_load(in_flight_, waiting_);
    // Until a try has I/O, a message comes, or the next poll or timer is due. The tries pump()
    // just sent start in the next work(): wait() returns at once for them.
    if (inbox_->sleep_if_empty()) {
      http_.wait(wake_at());
      inbox_->awake();
    }
  }
  inbox_->close();
  metrics_.set_load(in_flight_, 0);
  if (in_flight_ > 0 || pending_writes_ > 0) {
    log_->warn(
        "dispatcher stopped with {} tries in flight and {} writes uncommitted; their "
        "deliveries stay leased",
        in_flight_, pending_writes_);
  }
}

DispatcherStats Dispatcher::Worker::stats() const { return metrics_.stats(); }

std::optional<BreakerSnapshot> Dispatcher::Worker::breaker(const std::string& webhook_id) const {
  return metrics_.breaker(webhook_id, clock_.now_ms());
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

void Dispatcher::Worker::handle(Inbox::FreshDeliveries& message) {
  std::map<int64_t, std::vector<LeaseRef>> give_back;
  for (Delivery& delivery : message.deliveries) {
    if (!entries_.contains(delivery.id)) take_in(std::move(delivery), give_back);
  }
  release_all(std::move(give_back));
}

void Dispatcher::Worker::handle(Inbox::WebhookChanged& message) {
  if (message.webhook_id.empty()) {
    for (auto& [id, queue] : webhooks_) {
      queue.config.reset();
      ready_.insert(id);
    }
    return;
  }
  const auto it = webhooks_.find(message.webhook_id);
  if (it == webhooks_.end()) return;
  it->second.config.reset();
  ready_.insert(message.webhook_id);
}

void Dispatcher::Worker::handle(Inbox::NodesChanged& message) {
  const bool more_room = message.nodes < nodes_;
  nodes_ = std::max(1, message.nodes);
  if (!more_room) return;
  for (auto& [id, queue] : webhooks_) ready_.insert(id);  // each may start more tries now
}

void Dispatcher::Worker::handle(Inbox::BreakerShared& message) {
  const store::BreakerNews& news = message.news;
  if (news.node_id == options_.node_id) return;  // this node's own, heard back
  const int64_t now = clock_.now_ms();
  WebhookQueue& queue = webhooks_.try_emplace(news.webhook_id, gate_options_).first->second;
  if (news.open) {
    // The webhook's own timeout sets how long that node's probe may take, when it is known here.
    if (!queue.gate.breaker_opened_elsewhere(known_spec(queue), news.open_until_ms,
                                             std::chrono::milliseconds(news.interval_ms),
                                             news.consecutive_failures)) {
      return;
    }
    log_->info("webhook {}: breaker opened by node {}; it probes in {} ms", news.webhook_id,
               news.node_id, news.open_until_ms - now);
  } else {
    if (queue.gate.breaker().clean()) return;
    queue.gate.breaker_closed_elsewhere();
    log_->info("webhook {}: breaker closed by node {}", news.webhook_id, news.node_id);
  }
  metrics_.show_breaker(news.webhook_id, queue.gate.breaker());
  ready_.insert(news.webhook_id);  // closed: its held tries start; opened: they wait again
}

void Dispatcher::Worker::handle(Inbox::WorkDue& /*message*/) {
  if (claim_backoff_.count() > 0) return;  // its full webhooks would send it back
  if (claiming_) {
    claim_again_ = true;  // the claim out may have been too early for it
  } else {
    next_poll_ = std::min(next_poll_, std::chrono::steady_clock::now());
  }
}

void Dispatcher::Worker::share_breaker(const Delivery& delivery, const Breaker& breaker,
                                       BreakerChange change) {
  if (change != BreakerChange::kOpened && change != BreakerChange::kClosed) return;
  store::BreakerNews news{.node_id = options_.node_id, .webhook_id = delivery.webhook_id};
  if (change == BreakerChange::kOpened) {
    news.open = true;
    news.open_until_ms = breaker.open_until();
    news.interval_ms = breaker.interval().count();
    news.consecutive_failures = breaker.consecutive_failures();
  }
  ++pending_writes_;
  queue_.share_breaker(std::move(news), [inbox = inbox_, workspace_id = delivery.workspace_id,
                                         webhook_id = delivery.webhook_id](Result<int64_t> since) {
    inbox->push(Inbox::BreakerStored{workspace_id, webhook_id, std::move(since)});
  });
}

// A receiver that has failed every try and probe for days is most likely gone for good (the
// usual webhook tools' rule, Standard Webhooks' advice): disabled, it stops costing probes, and
// the console says why. The spell is the store's, so restarts and other nodes do not reset it.
void Dispatcher::Worker::handle(Inbox::BreakerStored& message) {
  --pending_writes_;
  if (!message.failing_since) {
    metrics_.write_failed();
    log_->error("sharing the breaker of webhook {} failed: {}", message.webhook_id,
                message.failing_since.error().message);
    return;
  }
  const int64_t since = *message.failing_since;
  const int64_t limit = options_.disable_failing_after_ms;
  const int64_t now = clock_.now_ms();
  if (since == 0 || limit <= 0 || now - since < limit) return;
  disable(message.workspace_id, message.webhook_id, "failing",
          "it has failed every try and probe for " + std::to_string((now - since) / 1000) +
              " s (--disable-failing-after)",
          now);
}

void Dispatcher::Worker::handle(Inbox::ClaimFinished& message) {
  --pending_writes_;
  claiming_ = false;
  std::erase_if(hastening_, [this](const auto& hastening) {
    return hastening.second != 0 && hastening.second <= claims_started_;
  });
  next_poll_ = std::chrono::steady_clock::now() + options_.poll_interval;
  if (!message.claimed) {
    metrics_.write_failed();
    log_->error("claiming due deliveries failed: {}", message.claimed.error().message);
    return;
  }
  std::vector<Delivery>& claimed = *message.claimed;
  const size_t claimed_count = claimed.size();
  std::map<int64_t, std::vector<LeaseRef>> give_back;
  for (Delivery& delivery : claimed) {
    if (const auto it = entries_.find(delivery.id); it != entries_.end()) {
      // Held already, its lease ran out meanwhile and this claim renewed it: the try in flight,
      // if any, records its outcome under the new number, which this node holds too.
      it->second.delivery.lease = std::move(delivery.lease);
      if (!it->second.in_flight) it->second.delivery.next_attempt_at = delivery.next_attempt_at;
      continue;
    }
    take_in(std::move(delivery), give_back);
  }
  size_t given_back = 0;
  for (const auto& [due_at_ms, leases] : give_back) given_back += leases.size();
  const SteadyTime now = std::chrono::steady_clock::now();
  if (given_back * 2 > claimed_count) {
    // Most of it went back for want of room (its webhooks are full): claiming again soon would
    // only move rows back and forth, two writes each. Back off, up to kMaxClaimBackoff, until a
    // claim is mostly taken in or a full webhook drains (update_intake).
    claim_backoff_ = std::min(std::max(2 * claim_backoff_, options_.poll_interval),
                              std::chrono::milliseconds(kMaxClaimBackoff));
    next_poll_ = now + claim_backoff_;
  } else {
    claim_backoff_ = std::chrono::milliseconds(0);
    // A full batch means more is due: ask again straight away instead of after a poll interval.
    if (claimed_count >= claim_limit_ || claim_again_) next_poll_ = now;
  }
  claim_again_ = false;
  release_all(std::move(give_back));
  forget_idle_webhooks();
}

void Dispatcher::Worker::handle(Inbox::WriteFinished& message) {
  --pending_writes_;
  if (message.records) --records_writing_;  // the records held meanwhile go next (flush_records)
  if (message.result) return;
  for (size_t i = 0; i < message.failed_writes; ++i) metrics_.write_failed();
  log_->error("{} failed: {}", message.what, message.result.error().message);
}

void Dispatcher::Worker::handle(Inbox::Stop& message) {
  if (stopping_) return;
  stopping_ = true;
  grace_end_ = message.grace_end;
  writes_end_ = std::max(grace_end_, std::chrono::steady_clock::now()) + kWriteDrainLimit;
  std::vector<LeaseRef> give_back;
  for (auto& [webhook_id, queue] : webhooks_) {
    for (const std::string& id : queue.waiting) {
      give_back.push_back(entries_.at(id).delivery.lease_ref());
      entries_.erase(id);
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
  ++claims_started_;
  ++pending_writes_;
  const int64_t now = clock_.now_ms();
  const int64_t lease_ms = options_.lease_ms;
  const int limit = static_cast<int>(claim_limit_);
  queue_.claim(options_.node_id, now, lease_ms, limit,
               [inbox = inbox_](Result<std::vector<Delivery>> claimed) {
                 inbox->push(Inbox::ClaimFinished{std::move(claimed)});
               });
}

void Dispatcher::Worker::take_in(Delivery&& delivery,
                                 std::map<int64_t, std::vector<LeaseRef>>& give_back) {
  const int64_t now = clock_.now_ms();
  if (stopping_ || entries_.size() >= options_.max_queued) {
    if (!stopping_) intake_.set_full(true);
    give_back[now].push_back(delivery.lease_ref());
    return;
  }
  const auto [it, added] = webhooks_.try_emplace(delivery.webhook_id, gate_options_);
  WebhookQueue& queue = it->second;
  const WebhookSpec& spec = known_spec(queue);
  if (const auto due = queue.gate.over_cap(queue.waiting.size(), spec, now)) {
    mark_full(delivery.webhook_id, *due);
    give_back[*due].push_back(delivery.lease_ref());
    return;
  }
  const std::string id = delivery.id;
  entries_.emplace(id, Entry{std::move(delivery), false, {}, 0});
  queue.waiting.push_back(id);
  ++waiting_;
  ready_.insert(it->first);
}

const WebhookSpec& Dispatcher::Worker::known_spec(const WebhookQueue& queue) {
  static const WebhookSpec defaults;
  return queue.config && *queue.config ? (**queue.config)->webhook().spec : defaults;
}

void Dispatcher::Worker::mark_full(const std::string& webhook_id, int64_t due_at_ms) {
  full_webhooks_.insert(webhook_id);
  intake_.set_webhook_full(webhook_id, due_at_ms);
  note_deferred(webhook_id, due_at_ms);
}

void Dispatcher::Worker::note_deferred(const std::string& webhook_id, int64_t due_at_ms) {
  int64_t& until = deferred_[webhook_id];
  until = std::max(until, due_at_ms);
}

void Dispatcher::Worker::hasten_deferred() {
  const int64_t now = clock_.now_ms();
  for (auto it = deferred_.begin(); it != deferred_.end();) {
    const auto& [webhook_id, until] = *it;
    // Due within the shortest deferral anyway: not worth a write.
    if (stopping_ || until <= now + kMinDeferMs) {
      it = deferred_.erase(it);
      continue;
    }
    // As many as fit beside what waits, once half the room is free (as a full webhook opens).
    size_t room = options_.max_waiting_per_webhook;
    if (const auto queue = webhooks_.find(webhook_id); queue != webhooks_.end()) {
      const WebhookGate& gate = queue->second.gate;
      const size_t waiting = queue->second.waiting.size();
      const bool open = gate.breaker().state(now) == BreakerState::kClosed &&
                        !gate.over_cap(2 * waiting, known_spec(queue->second), now);
      room = open ? gate.room(waiting, now) : 0;
    }
    if (room == 0 || full_webhooks_.contains(webhook_id) || hastening_.contains(webhook_id)) {
      ++it;
      continue;
    }
    hasten(webhook_id, until, static_cast<int>(std::min<size_t>(room, options_.claim_batch)));
    it = deferred_.erase(it);
  }
}

void Dispatcher::Worker::hasten(const std::string& webhook_id, int64_t until_ms, int limit) {
  ++pending_writes_;
  hastening_[webhook_id] = 0;
  queue_.hasten(webhook_id, clock_.now_ms(), until_ms, limit,
                [inbox = inbox_, webhook_id, until_ms, limit](Result<int64_t> hastened) {
                  inbox->push(Inbox::Hastened{webhook_id, until_ms, limit, std::move(hastened)});
                });
}

void Dispatcher::Worker::handle(Inbox::Hastened& message) {
  --pending_writes_;
  if (!message.result || *message.result == 0) hastening_.erase(message.webhook_id);
  if (!message.result) {
    // They stay due when they were: late, not lost.
    metrics_.write_failed();
    log_->error("making the deliveries of webhook {} due now failed: {}", message.webhook_id,
                message.result.error().message);
    return;
  }
  log_->debug("webhook {} has room again: {} of its deferred deliveries are due now",
              message.webhook_id, *message.result);
  // A full batch: more may wait, for the next turn that finds room.
  if (*message.result >= message.limit) note_deferred(message.webhook_id, message.until_ms);
  if (*message.result > 0) {
    // No more until a claim started from now has taken these in: the room is theirs.
    hastening_[message.webhook_id] = claims_started_ + 1;
    next_poll_ = std::chrono::steady_clock::now();
    claim_backoff_ = std::chrono::milliseconds(0);
  }
}

void Dispatcher::Worker::update_intake() {
  bool room_back = false;
  if (intake_.full() && entries_.size() < options_.max_queued / 2) {
    intake_.set_full(false);
    room_back = true;
  }
  const int64_t now = clock_.now_ms();
  for (auto it = full_webhooks_.begin(); it != full_webhooks_.end();) {
    const auto queue = webhooks_.find(*it);
    // Half the cap free: twice what waits would still fit.
    if (queue == webhooks_.end() || !queue->second.gate.over_cap(2 * queue->second.waiting.size(),
                                                                 known_spec(queue->second), now)) {
      intake_.set_webhook_open(*it);
      it = full_webhooks_.erase(it);
      room_back = true;
    } else {
      ++it;
    }
  }
  if (room_back) {
    next_poll_ = std::chrono::steady_clock::now();
    claim_backoff_ = std::chrono::milliseconds(0);
  }
  hasten_deferred();
}

void Dispatcher::Worker::release_all(std::map<int64_t, std::vector<LeaseRef>> give_back) {
  for (auto& [due_at_ms, leases] : give_back) release(std::move(leases), due_at_ms);
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
    return queue.waiting.empty() &&
           (!queue.config || now - queue.loaded_at >= options_.webhook_cache_ttl) &&
           queue.gate.idle(now_ms);
  });
}

void Dispatcher::Worker::record(AttemptRecord record) { records_.push_back(std::move(record)); }

void Dispatcher::Worker::flush_records() {
  // While a write of records is on its way, the next turns' wait and go together when it is
  // back: under load the store then gets a few large writes instead of one small one per turn
  // (each write is a job of the group commit, and a statement on PostgreSQL), and when idle
  // each turn's go at once. Held records only delay what their deliveries' leases cover.
  constexpr size_t kMaxHeldRecords = 256;
  if (records_.empty()) return;
  if (records_writing_ > 0 && records_.size() < kMaxHeldRecords) return;
  std::vector<AttemptRecord> records;
  records.swap(records_);
  std::vector<std::string> ids;  // for the log, should some not be recorded
  ids.reserve(records.size());
  for (const AttemptRecord& record : records) ids.push_back(record.attempt.delivery_id);
  // The store makes the next delivery of each such chain pending as it records the end.
  const bool frees_chains = std::ranges::any_of(records, [](const AttemptRecord& record) {
    return record.ends_delivery() && !record.order_key.empty();
  });
  ++pending_writes_;
  ++records_writing_;
  // `done` may run on the store's thread, or right here when the writer has stopped.
  queue_.record(
      std::move(records), clock_.now_ms(),
      [inbox = inbox_, ids = std::move(ids),
       frees_chains](Result<std::vector<std::optional<Error>>> outcomes) {
        const size_t n = ids.size();
        Inbox::WriteFinished finished{"recording " + std::to_string(n) + " attempts", {}, n, true};
        if (!outcomes) {
          finished.result = std::unexpected(std::move(outcomes.error()));
          return inbox->push(std::move(finished));
        }
        if (frees_chains) inbox->push(Inbox::WorkDue{});
        size_t failed = 0;
        const Error* first = nullptr;
        const std::string* first_id = nullptr;
        for (size_t i = 0; i < outcomes->size(); ++i) {
          if (!(*outcomes)[i]) continue;
          if (failed++ == 0) {
            first = &*(*outcomes)[i];
            first_id = &ids[i];
          }
        }
        if (failed > 0) {
          finished.result =
              std::unexpected(Error{first->code,
                                    std::to_string(failed) + " of them, first of delivery " +
                                        *first_id + ": " + first->message,
                                    {}});
          finished.failed_writes = failed;
        }
        inbox->push(std::move(finished));
      });
}

void Dispatcher::Worker::release(std::vector<LeaseRef> leases, int64_t due_at_ms) {
  metrics_.released(leases.size());
  ++pending_writes_;
  std::string what = "releasing " + std::to_string(leases.size()) + " deliveries";
  // `done` may run on the store's thread, or right here when the writer has stopped.
  queue_.release(options_.node_id, std::move(leases), due_at_ms,
                 [inbox = inbox_, what = std::move(what)](Result<void> released) {
                   inbox->push(Inbox::WriteFinished{what, std::move(released)});
                 });
}

// ---- Dispatcher

Dispatcher::Dispatcher(DispatcherOptions options, store::DeliveryQueue& queue,
                       store::Webhooks& webhooks, HttpClientOptions http, const Clock& clock)
    : http_(std::make_unique<HttpClient>(std::move(http), HttpClient::Driver::kCaller)),
      inbox_(std::make_shared<Inbox>([client = http_.get()] { client->wake(); })) {
  if (options.schedule.delays.empty()) throw std::invalid_argument("retry schedule is empty");
  if (options.node_id.empty()) throw std::invalid_argument("the dispatcher needs a node id");
  if (options.max_in_flight_per_webhook < 1 || options.max_queued < 1 ||
      options.max_waiting_per_webhook < 1 || options.claim_batch < 1 ||
      options.lease_ms < kMinLeaseMs || options.poll_interval.count() < 1) {
    throw std::invalid_argument("dispatcher limits must be positive and the lease at least 5 s");
  }
  [[maybe_unused]] const Breaker checked(options.breaker);  // throws for unusable options
  worker_ = std::make_unique<Worker>(std::move(options), queue, webhooks, *http_, clock, inbox_);
}

Dispatcher::~Dispatcher() { shutdown(std::chrono::milliseconds(0)); }

void Dispatcher::start() {
  thread_ = std::thread([worker = worker_.get()] {
    name_this_thread("hl-dispatcher");
    worker->run();
  });
}

void Dispatcher::dispatch(std::vector<Delivery> fresh) {
  if (fresh.empty()) return;
  inbox_->push(Inbox::FreshDeliveries{std::move(fresh)});
}

void Dispatcher::webhook_changed(const std::string& webhook_id) {
  inbox_->push(Inbox::WebhookChanged{webhook_id});
}

void Dispatcher::set_nodes(int nodes) { inbox_->push(Inbox::NodesChanged{nodes}); }

void Dispatcher::work_due() { inbox_->push(Inbox::WorkDue{}); }

void Dispatcher::breaker_shared(store::BreakerNews news) {
  inbox_->push(Inbox::BreakerShared{std::move(news)});
}

void Dispatcher::shutdown(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) {
    inbox_->close();  // never started, or stopped already
    return;
  }
  inbox_->push(Inbox::Stop{std::chrono::steady_clock::now() + grace});
  thread_.join();
}

DispatcherStats Dispatcher::stats() const { return worker_->stats(); }

void Dispatcher::write_prometheus(PrometheusText& text) const { worker_->write_prometheus(text); }

std::optional<int64_t> Dispatcher::fresh_due_instead(const std::string& webhook_id) const {
  return worker_->intake().due_instead(webhook_id);
}

std::optional<BreakerSnapshot> Dispatcher::breaker(const std::string& webhook_id) const {
  return worker_->breaker(webhook_id);
}

}  // namespace hookline::delivery
