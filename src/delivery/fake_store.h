#pragma once

// Test-only: an in-memory store::Store for the dispatcher's tests. Only what the dispatcher uses
// is meaningful: get_webhook, write() with a writer thread of its own (group commit: each job's
// changes are undone alone when it fails, `done` runs after the batch), and the delivery
// operations of WriteTxn (release_webhook_deliveries included). Everything else answers kInternal.
// The real SQLite store is covered by the store's own tests and the integration tests.

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
#include "store/store.h"
#include "store/write_txn.h"

namespace hookline::delivery {

// The node the dispatcher under test runs as (DispatcherTest::options()).
inline constexpr std::string_view kTestNode = "node-a";

class FakeStore final : public store::Store {
 public:
  struct Row {
    Delivery delivery;  // its lease is the stored one

    bool leased() const { return delivery.lease.held(); }
  };

  FakeStore() : writer_([this] { write_loop(); }) {}
  ~FakeStore() override { stop_writer(); }

  // ---- Set-up and inspection; thread-safe.

  void put_webhook(const Webhook& webhook) {
    std::lock_guard lock(mutex_);
    state_.webhooks[webhook.id] = webhook;
  }
  void remove_webhook(const std::string& id) {
    std::lock_guard lock(mutex_);
    state_.webhooks.erase(id);
  }
  // As insert_delivery does it: gives `delivery` its seq and lease (to kTestNode, claim 1) or none,
  // so that the caller's copy is the one a dispatcher would be handed.
  void put_delivery(Delivery& delivery, bool leased) {
    std::lock_guard lock(mutex_);
    delivery.seq = ++state_.last_seq;
    delivery.lease = leased ? Lease{std::string(kTestNode), 1} : Lease{};
    state_.deliveries[delivery.id] = {delivery};
  }
  std::optional<Row> row(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = state_.deliveries.find(id);
    if (it == state_.deliveries.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Attempt> attempts(const std::string& delivery_id) const {
    std::lock_guard lock(mutex_);
    std::vector<Attempt> out;
    for (const Attempt& a : state_.attempts) {
      if (a.delivery_id == delivery_id) out.push_back(a);
    }
    return out;
  }
  // Delivery ids in the order their attempts were recorded.
  std::vector<std::string> recorded_order() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const Attempt& a : state_.attempts) out.push_back(a.delivery_id);
    return out;
  }
  // While set, every record_attempt fails (and is undone), as a full disk would make it.
  void fail_record_attempt(bool fail) {
    std::lock_guard lock(mutex_);
    fail_record_attempt_ = fail;
  }
  int get_webhook_calls() const {
    std::lock_guard lock(mutex_);
    return get_webhook_calls_;
  }

  // ---- store::Store

  Result<Webhook> get_webhook(const std::string& workspace_id, const std::string& id) override {
    std::lock_guard lock(mutex_);
    ++get_webhook_calls_;
    const auto it = state_.webhooks.find(id);
    if (it == state_.webhooks.end() || it->second.workspace_id != workspace_id) {
      return std::unexpected(Error::not_found("no webhook with id " + id));
    }
    return it->second;
  }

  void write(store::WriteJob job, store::WriteDone done) override {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        jobs_.push_back({std::move(job), std::move(done)});
        wake_.notify_one();
        return;
      }
    }
    done(std::unexpected(Error::unavailable("the writer has stopped")));
  }

  void stop_writer() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) writer_.join();
  }

  Result<std::vector<int>> migrate() override { return unsupported(); }
  Result<std::string> default_workspace_id(int64_t) override { return unsupported(); }
  Result<void> add_api_key(const std::string&, const std::string&, const std::string&,
                           int64_t) override {
    return unsupported();
  }
  Result<std::optional<std::string>> workspace_for_key(const std::string&) override {
    return unsupported();
  }
  Result<int64_t> count_api_keys() override { return unsupported(); }
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
  Result<void> delete_webhook(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<Contact> get_contact(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<std::optional<Contact>> find_contact_by_email(const std::string&,
                                                       const std::string&) override {
    return unsupported();
  }
  Result<store::Page<Contact>> list_contacts(const std::string&,
                                             const store::PageRequest&) override {
    return unsupported();
  }
  Result<void> insert_list(const ContactList&) override { return unsupported(); }
  Result<ContactList> get_list(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<store::Page<ContactList>> list_lists(const std::string&,
                                              const store::PageRequest&) override {
    return unsupported();
  }
  Result<void> delete_list(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<store::Page<Contact>> list_members(const std::string&, const std::string&,
                                            const store::PageRequest&) override {
    return unsupported();
  }
  Result<store::Page<Delivery>> list_deliveries(const std::string&, const store::DeliveryFilter&,
                                                const store::PageRequest&) override {
    return unsupported();
  }
  Result<Delivery> get_delivery(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<std::vector<Attempt>> list_attempts(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<int64_t> release_leases_of(const std::string&, int64_t) override { return unsupported(); }
  Result<store::StorageStats> storage_stats() override { return unsupported(); }
  bool storage_full() const override { return false; }
  Result<void> insert_journey(const store::JourneyRow&) override { return unsupported(); }
  Result<store::JourneyRow> get_journey(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<store::Page<store::JourneyRow>> list_journeys(const std::string&,
                                                       const store::PageRequest&) override {
    return unsupported();
  }
  Result<void> update_journey(const store::JourneyRow&) override { return unsupported(); }
  Result<void> set_journey_status(const std::string&, const std::string&, JourneyStatus,
                                  int64_t) override {
    return unsupported();
  }
  Result<void> delete_journey(const std::string&, const std::string&) override {
    return unsupported();
  }
  Result<std::map<std::string, BlockStats>> journey_stats(const std::string&,
                                                          const std::string&) override {
    return unsupported();
  }
  Result<store::Page<Enrolment>> contact_enrolments(const std::string&, const std::string&,
                                                    const store::PageRequest&) override {
    return unsupported();
  }

 private:
  struct State {
    std::map<std::string, Webhook> webhooks;
    std::map<std::string, Row> deliveries;
    int64_t last_seq = 0;
    std::vector<Attempt> attempts;
  };

  static std::unexpected<Error> unsupported() {
    return std::unexpected(Error{ErrorCode::kInternal, "not in the fake store", {}});
  }

  // The delivery operations on `state`; the rest are unsupported.
  class Txn final : public store::WriteTxn {
   public:
    Txn(State& state, bool fail_record_attempt)
        : state_(state), fail_record_attempt_(fail_record_attempt) {}

    Result<Result<void>> in_savepoint(const std::function<Result<void>()>& part) override {
      const State before = state_;
      Result<void> result = part();
      if (!result) state_ = before;
      return result;
    }
    Result<int64_t> insert_delivery(const Delivery& delivery) override {
      Row& row = state_.deliveries[delivery.id] = {delivery};
      row.delivery.seq = ++state_.last_seq;
      if (row.delivery.lease.held()) row.delivery.lease.number = 1;
      return row.delivery.seq;
    }
    Result<std::vector<Delivery>> claim_due_deliveries(const std::string& owner, int64_t now_ms,
                                                       int64_t lease_ms, int limit) override {
      std::vector<Row*> due;
      for (auto& [id, row] : state_.deliveries) {
        const DeliveryStatus status = row.delivery.status;
        if ((status == DeliveryStatus::kPending || status == DeliveryStatus::kRetrying) &&
            row.delivery.next_attempt_at <= now_ms) {
          due.push_back(&row);
        }
      }
      std::stable_sort(due.begin(), due.end(), [](const Row* a, const Row* b) {
        return a->delivery.next_attempt_at < b->delivery.next_attempt_at;
      });
      if (due.size() > static_cast<size_t>(limit)) due.resize(static_cast<size_t>(limit));
      std::vector<Delivery> claimed;
      for (Row* row : due) {
        row->delivery.lease = {owner, row->delivery.lease.number + 1};
        row->delivery.next_attempt_at = now_ms + lease_ms;
        claimed.push_back(row->delivery);
      }
      return claimed;
    }
    Result<void> record_attempt(const AttemptRecord& record, int64_t now_ms) override {
      if (fail_record_attempt_) {
        return std::unexpected(Error::unavailable("disk full (fake)"));
      }
      const Attempt& a = record.attempt;
      const auto it = state_.deliveries.find(a.delivery_id);
      if (it == state_.deliveries.end()) {
        return std::unexpected(Error::not_found("no delivery " + a.delivery_id));
      }
      Delivery& d = it->second.delivery;
      const bool open =
          d.status == DeliveryStatus::kPending || d.status == DeliveryStatus::kRetrying;
      if (!open || d.lease.owner != record.lease.owner || d.lease.number != record.lease.number) {
        return std::unexpected(Error{ErrorCode::kConflict, "lease no longer held (fake)", {}});
      }
      state_.attempts.push_back(a);
      d.status = record.status;
      d.attempts = std::max(d.attempts, a.number);
      d.next_attempt_at = record.next_attempt_at;
      d.last_status = a.response_status;
      d.last_error = a.error_code;
      d.last_duration_ms = a.duration_ms;
      d.updated_at = now_ms;
      d.lease.owner.clear();
      return {};
    }
    Result<Delivery> requeue_delivery(const std::string&, const std::string&, int64_t) override {
      return unsupported();
    }
    Result<void> release_deliveries(const std::string& owner, const std::vector<LeaseRef>& leases,
                                    int64_t due_at_ms) override {
      for (const LeaseRef& lease : leases) {
        for (auto& [id, row] : state_.deliveries) {
          Delivery& d = row.delivery;
          if (d.seq != lease.seq || d.lease.owner != owner || d.lease.number != lease.number) {
            continue;
          }
          if (d.status != DeliveryStatus::kPending && d.status != DeliveryStatus::kRetrying) break;
          d.lease.owner.clear();
          d.next_attempt_at = due_at_ms;
          break;
        }
      }
      return {};
    }

    Result<store::ContactUpsert> upsert_contact(const Contact&) override { return unsupported(); }
    Result<std::optional<Contact>> find_contact(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<std::optional<Contact>> find_contact_by_email(const std::string&,
                                                         const std::string&) override {
      return unsupported();
    }
    Result<void> update_contact(const Contact&) override { return unsupported(); }
    Result<void> delete_contact(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<std::vector<std::string>> add_list_members(const std::string&, const std::string&,
                                                      const std::vector<std::string>&,
                                                      int64_t) override {
      return unsupported();
    }
    Result<bool> remove_list_member(const std::string&, const std::string&,
                                    const std::string&) override {
      return unsupported();
    }
    Result<bool> event_exists(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<bool> insert_event(const std::string&, const Event&, const std::string&,
                              int64_t) override {
      return unsupported();
    }
    Result<std::shared_ptr<const std::vector<Webhook>>> subscribed_webhooks(
        const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<std::optional<Webhook>> find_webhook(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<std::optional<ContactList>> find_list(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<bool> is_list_member(const std::string&, const std::string&,
                                const std::string&) override {
      return unsupported();
    }
    Result<std::shared_ptr<const std::vector<store::JourneyRow>>> active_journeys_for_event(
        const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<std::optional<store::JourneyRow>> find_journey(const std::string&,
                                                          const std::string&) override {
      return unsupported();
    }
    Result<bool> has_enrolment(const std::string&, const std::string&) override {
      return unsupported();
    }
    Result<void> insert_enrolment(const Enrolment&) override { return unsupported(); }
    Result<int64_t> requeue_failed(const std::string&, const std::string&, int64_t, int64_t,
                                   int64_t) override {
      return unsupported();
    }
    Result<int64_t> release_webhook_deliveries(const std::string& webhook_id,
                                               int64_t now_ms) override {
      int64_t released = 0;
      for (auto& [id, row] : state_.deliveries) {
        const DeliveryStatus status = row.delivery.status;
        if (row.delivery.webhook_id != webhook_id || !row.leased() ||
            (status != DeliveryStatus::kPending && status != DeliveryStatus::kRetrying)) {
          continue;
        }
        row.delivery.lease.owner.clear();
        row.delivery.next_attempt_at = now_ms;
        ++released;
      }
      return released;
    }
    Result<void> update_enrolment(const Enrolment&) override { return unsupported(); }
    Result<std::vector<Enrolment>> due_enrolments(int64_t, int) override { return unsupported(); }
    void count_run(std::string_view, std::string_view) override {}
    Result<store::PurgeStep> purge_deliveries(int64_t, int64_t, int) override {
      return unsupported();
    }
    Result<store::PurgeStep> purge_events(int64_t, int) override { return unsupported(); }

   private:
    State& state_;
    const bool fail_record_attempt_;
  };

  struct Submission {
    store::WriteJob job;
    store::WriteDone done;
  };

  void write_loop() {
    while (true) {
      std::deque<Submission> batch;
      std::vector<Result<void>> results;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and everything submitted is done
        batch.swap(jobs_);
        for (Submission& submission : batch) {
          const State before = state_;
          Txn txn(state_, fail_record_attempt_);
          Result<void> result = submission.job(txn);
          if (!result) state_ = before;  // undo this job's changes only
          results.push_back(std::move(result));
        }
      }
      // After the "commit", outside the lock: `done` may call back into the store.
      for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  State state_;                       // GUARDED_BY(mutex_)
  std::deque<Submission> jobs_;       // GUARDED_BY(mutex_)
  bool stopping_ = false;             // GUARDED_BY(mutex_)
  bool fail_record_attempt_ = false;  // GUARDED_BY(mutex_)
  int get_webhook_calls_ = 0;         // GUARDED_BY(mutex_)
  std::thread writer_;                // last: starts once the rest is ready
};

}  // namespace hookline::delivery
