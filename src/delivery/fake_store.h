#pragma once

// Test-only: what the dispatcher reads and writes, in memory: its webhooks (store::Webhooks, only
// get_webhook meaningful) and the delivery queue (store::DeliveryQueue), whose operations run on a
// thread of the fake's own, one after another, with `done` called after each, as a store's writer
// would. The real stores are covered by the store's own tests and the integration tests.

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/delivery.h"
#include "core/error.h"
#include "core/webhook.h"
#include "store/delivery_queue.h"
#include "store/repositories.h"

namespace hookline::delivery {

// The node the dispatcher under test runs as (DispatcherTest::options()).
inline constexpr std::string_view kTestNode = "node-a";

class FakeStore final : public store::Webhooks, public store::DeliveryQueue {
 public:
  struct Row {
    Delivery delivery;  // its lease is the stored one

    bool leased() const { return delivery.lease.held(); }
  };

  FakeStore() : worker_([this] { work(); }) {}
  ~FakeStore() override { stop(); }

  // ---- Set-up and inspection; thread-safe.

  void put_webhook(const Webhook& webhook) {
    std::lock_guard lock(mutex_);
    webhooks_[webhook.id] = webhook;
  }
  void remove_webhook(const std::string& id) {
    std::lock_guard lock(mutex_);
    webhooks_.erase(id);
  }
  // As ingest stores a delivery: gives `delivery` its seq and lease (to kTestNode, claim 1) or
  // none, so that the caller's copy is the one a dispatcher would be handed.
  void put_delivery(Delivery& delivery, bool leased) {
    std::lock_guard lock(mutex_);
    delivery.seq = ++last_seq_;
    delivery.lease = leased ? Lease{std::string(kTestNode), 1} : Lease{};
    deliveries_[delivery.id] = {delivery};
  }
  std::optional<Row> row(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = deliveries_.find(id);
    if (it == deliveries_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Attempt> attempts(const std::string& delivery_id) const {
    std::lock_guard lock(mutex_);
    std::vector<Attempt> out;
    for (const Attempt& a : attempts_) {
      if (a.delivery_id == delivery_id) out.push_back(a);
    }
    return out;
  }
  // Delivery ids in the order their attempts were recorded.
  std::vector<std::string> recorded_order() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const Attempt& a : attempts_) out.push_back(a.delivery_id);
    return out;
  }
  // While set, every record fails and changes nothing, as a full disk would make it.
  void fail_record_attempt(bool fail) {
    std::lock_guard lock(mutex_);
    fail_record_attempt_ = fail;
  }
  int get_webhook_calls() const {
    std::lock_guard lock(mutex_);
    return get_webhook_calls_;
  }

  // ---- store::Webhooks

  Result<Webhook> get_webhook(const std::string& workspace_id, const std::string& id) override {
    std::lock_guard lock(mutex_);
    ++get_webhook_calls_;
    const auto it = webhooks_.find(id);
    if (it == webhooks_.end() || it->second.workspace_id != workspace_id) {
      return std::unexpected(Error::not_found("no webhook with id " + id));
    }
    return it->second;
  }
  Result<void> insert_webhook(const Webhook&) override { return unsupported(); }
  Result<store::Page<Webhook>> list_webhooks(const std::string&,
                                             const store::PageRequest&) override {
    return unsupported();
  }
  Result<void> update_webhook(const Webhook&) override { return unsupported(); }
  Result<Webhook> rotate_webhook_secret(const std::string&, const std::string&, const std::string&,
                                        int64_t, int64_t) override {
    return unsupported();
  }
  Result<bool> disable_webhook(const std::string& workspace_id, const std::string& id,
                               const std::string& reason, int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    const auto it = webhooks_.find(id);
    if (it == webhooks_.end() || it->second.workspace_id != workspace_id ||
        !it->second.spec.enabled) {
      return false;
    }
    it->second.spec.enabled = false;
    it->second.disabled_reason = reason;
    it->second.disabled_at = now_ms;
    return true;
  }
  Result<void> delete_webhook(const std::string&, const std::string&) override {
    return unsupported();
  }
  // Self-healing, as the real stores do it (store/repositories.h), for the healer's tests.
  Result<std::vector<store::ProbeDue>> webhooks_to_probe(int64_t now_ms, int64_t first_probe_ms,
                                                         int limit) override {
    std::lock_guard lock(mutex_);
    std::vector<store::ProbeDue> due;
    for (const auto& [id, webhook] : webhooks_) {
      if (webhook.spec.enabled || webhook.disabled_reason.empty() || !webhook.spec.self_heal) {
        continue;
      }
      const auto [probes, next] = probes_[id];
      if ((next == 0 ? webhook.disabled_at + first_probe_ms : next) > now_ms) continue;
      if (due.size() < static_cast<size_t>(limit)) due.push_back({webhook, probes, next});
    }
    return due;
  }
  Result<bool> claim_probe(const store::ProbeDue& due, int64_t next_ms) override {
    std::lock_guard lock(mutex_);
    auto& [probes, next] = probes_[due.webhook.id];
    if (next != due.next_probe_at) return false;
    ++probes;
    next = next_ms;
    return true;
  }
  Result<bool> heal_webhook(const std::string& workspace_id, const std::string& id,
                            int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    const auto it = webhooks_.find(id);
    if (it == webhooks_.end() || it->second.workspace_id != workspace_id ||
        it->second.spec.enabled || it->second.disabled_reason.empty() ||
        !it->second.spec.self_heal) {
      return false;
    }
    it->second.spec.enabled = true;
    it->second.disabled_reason.clear();
    it->second.disabled_at = 0;
    it->second.healed_at = now_ms;
    probes_.erase(id);
    return true;
  }
  // Probes claimed for the webhook since it was disabled.
  int probes_of(const std::string& webhook_id) const {
    std::lock_guard lock(mutex_);
    const auto it = probes_.find(webhook_id);
    return it == probes_.end() ? 0 : it->second.first;
  }

  // ---- store::DeliveryQueue

  void claim(const std::string& owner, int64_t now_ms, int64_t lease_ms, int limit,
             std::function<void(Result<std::vector<Delivery>>)> done) override {
    run<std::vector<Delivery>>(
        [this, owner, now_ms, lease_ms, limit]() -> Result<std::vector<Delivery>> {
          std::vector<Row*> due;
          for (auto& [id, row] : deliveries_) {
            if (open(row.delivery) && row.delivery.next_attempt_at <= now_ms) due.push_back(&row);
          }
          std::stable_sort(due.begin(), due.end(), [](const Row* a, const Row* b) {
            return a->delivery.next_attempt_at < b->delivery.next_attempt_at;
          });
          if (due.size() > static_cast<size_t>(limit)) due.resize(static_cast<size_t>(limit));
          std::vector<Delivery> claimed;
          for (Row* row : due) {
            row->delivery.lease = {owner, row->delivery.lease.number + 1};
            const auto webhook = webhooks_.find(row->delivery.webhook_id);
            const int64_t timeout =
                webhook != webhooks_.end() ? webhook->second.spec.timeout_ms : 0;
            row->delivery.next_attempt_at = now_ms + lease_length_ms(lease_ms, timeout);
            claimed.push_back(row->delivery);
          }
          return claimed;
        },
        std::move(done));
  }

  void record(std::vector<AttemptRecord> records, int64_t now_ms,
              std::function<void(Result<std::vector<std::optional<Error>>>)> done) override {
    run<std::vector<std::optional<Error>>>(
        [this, records = std::move(records), now_ms] {
          std::vector<std::optional<Error>> outcomes;
          for (const AttemptRecord& record : records)
            outcomes.push_back(record_one(record, now_ms));
          return outcomes;
        },
        std::move(done));
  }

  void release(const std::string& owner, std::vector<LeaseRef> leases, int64_t due_at_ms,
               std::function<void(Result<void>)> done) override {
    run<bool>(
        [this, owner, leases = std::move(leases), due_at_ms] {
          for (const LeaseRef& lease : leases) {
            for (auto& [id, row] : deliveries_) {
              Delivery& d = row.delivery;
              if (d.seq != lease.seq) continue;
              if (open(d) && d.lease.owner == owner && d.lease.number == lease.number) {
                d.lease.owner.clear();
                d.next_attempt_at = due_at_ms;
              }
              break;
            }
          }
          return true;
        },
        [done = std::move(done)](Result<bool> released) {
          if (!released) return done(std::unexpected(released.error()));
          done({});
        });
  }

  void requeue(const std::string&, const std::string&, int64_t,
               std::function<void(Result<Delivery>)> done) override {
    done(unsupported());
  }
  void requeue_failed(const std::string&, const std::string&, int64_t, int64_t, int64_t,
                      std::function<void(Result<int64_t>)> done) override {
    done(unsupported());
  }

  void release_webhook(const std::string& webhook_id, int64_t now_ms,
                       std::function<void(Result<int64_t>)> done) override {
    run<int64_t>(
        [this, webhook_id, now_ms] {
          int64_t released = 0;
          for (auto& [id, row] : deliveries_) {
            Delivery& d = row.delivery;
            if (d.webhook_id != webhook_id || !d.lease.held() || !open(d)) continue;
            d.lease.owner.clear();
            d.next_attempt_at = now_ms;
            ++released;
          }
          return released;
        },
        std::move(done));
  }

  void hasten(const std::string& webhook_id, int64_t now_ms, int64_t until_ms, int limit,
              std::function<void(Result<int64_t>)> done) override {
    run<int64_t>(
        [this, webhook_id, now_ms, until_ms, limit] {
          std::vector<Delivery*> deferred;
          for (auto& [id, row] : deliveries_) {
            Delivery& d = row.delivery;
            if (d.webhook_id == webhook_id && d.status == DeliveryStatus::kPending &&
                d.attempts == 0 && !d.lease.held() && d.next_attempt_at > now_ms &&
                d.next_attempt_at <= until_ms) {
              deferred.push_back(&d);
            }
          }
          std::ranges::sort(deferred, {}, &Delivery::next_attempt_at);
          if (deferred.size() > static_cast<size_t>(limit)) deferred.resize(limit);
          for (Delivery* d : deferred) d->next_attempt_at = now_ms;
          hastened_.push_back(static_cast<int64_t>(deferred.size()));
          return static_cast<int64_t>(deferred.size());
        },
        std::move(done));
  }

  Result<int64_t> release_leases_of(const std::string&, int64_t) override { return unsupported(); }

  // As PostgreSQL's NOTIFY: kept in order, for a test to read (shared_breakers()); the failing
  // spell as the real stores keep it.
  void share_breaker(store::BreakerNews news, std::function<void(Result<int64_t>)> done) override {
    run<int64_t>(
        [this, news = std::move(news)]() -> Result<int64_t> {
          shared_breakers_.push_back(news);
          int64_t& since = failing_since_[news.webhook_id];
          if (!news.open) since = 0;
          if (news.open && since == 0) since = news.open_until_ms - news.interval_ms;
          return since;
        },
        std::move(done));
  }
  // A spell that began before this run, as a store keeps it across restarts.
  void set_failing_since(const std::string& webhook_id, int64_t since_ms) {
    std::lock_guard lock(mutex_);
    failing_since_[webhook_id] = since_ms;
  }
  int64_t failing_since(const std::string& webhook_id) const {
    std::lock_guard lock(mutex_);
    const auto it = failing_since_.find(webhook_id);
    return it == failing_since_.end() ? 0 : it->second;
  }
  // What each hasten() made due, in order.
  std::vector<int64_t> hastened() const {
    std::lock_guard lock(mutex_);
    return hastened_;
  }
  std::vector<store::BreakerNews> shared_breakers() const {
    std::lock_guard lock(mutex_);
    return shared_breakers_;
  }

 private:
  static std::unexpected<Error> unsupported() {
    return std::unexpected(Error{ErrorCode::kInternal, "not in the fake store", {}});
  }
  static bool open(const Delivery& d) {
    return d.status == DeliveryStatus::kPending || d.status == DeliveryStatus::kRetrying;
  }

  // REQUIRES: mutex_ held. As the real stores do: refused unless the record's lease is held.
  std::optional<Error> record_one(const AttemptRecord& record, int64_t now_ms) {
    if (fail_record_attempt_) return Error::unavailable("disk full (fake)");
    const Attempt& a = record.attempt;
    const auto it = deliveries_.find(a.delivery_id);
    if (it == deliveries_.end()) return Error::not_found("no delivery " + a.delivery_id);
    Delivery& d = it->second.delivery;
    if (!open(d) || !record.lease.held() || d.lease.owner != record.lease.owner ||
        d.lease.number != record.lease.number) {
      return Error{ErrorCode::kConflict, "lease no longer held (fake)", {}};
    }
    attempts_.push_back(a);
    d.status = record.status;
    d.attempts = std::max(d.attempts, a.number);
    d.next_attempt_at = record.next_attempt_at;
    d.last_status = a.response_status;
    d.last_error = a.error_code;
    d.last_duration_ms = a.duration_ms;
    d.updated_at = now_ms;
    d.lease.owner.clear();
    return std::nullopt;
  }

  // Queues `change` (run under mutex_ on the worker) and then `done` with its value (outside it).
  template <typename T>
  void run(std::function<Result<T>()> change, std::function<void(Result<T>)> done) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      return done(std::unexpected(Error::unavailable("the fake store has stopped")));
    }
    tasks_.push_back([this, change = std::move(change), done = std::move(done)] {
      Result<T> result = [&] {
        std::lock_guard locked(mutex_);
        return change();
      }();
      done(std::move(result));
    });
    wake_.notify_one();
  }

  void work() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stopping, and everything queued is done
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Webhook> webhooks_;          // GUARDED_BY(mutex_)
  std::map<std::string, Row> deliveries_;            // GUARDED_BY(mutex_)
  std::vector<Attempt> attempts_;                    // GUARDED_BY(mutex_)
  std::vector<store::BreakerNews> shared_breakers_;  // GUARDED_BY(mutex_)
  std::vector<int64_t> hastened_;                    // GUARDED_BY(mutex_)
  std::map<std::string, int64_t> failing_since_;     // GUARDED_BY(mutex_): by webhook id
  // By webhook id: probes claimed, and when the next is due (0: the first).
  std::map<std::string, std::pair<int, int64_t>> probes_;  // GUARDED_BY(mutex_)
  int64_t last_seq_ = 0;                                   // GUARDED_BY(mutex_)
  std::deque<std::function<void()>> tasks_;                // GUARDED_BY(mutex_)
  bool stopping_ = false;                                  // GUARDED_BY(mutex_)
  bool fail_record_attempt_ = false;                       // GUARDED_BY(mutex_)
  int get_webhook_calls_ = 0;                              // GUARDED_BY(mutex_)
  std::thread worker_;                                     // last: starts once the rest is ready
};

}  // namespace hookline::delivery
