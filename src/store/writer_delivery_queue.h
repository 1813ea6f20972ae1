#pragma once

#include "store/delivery_queue.h"
#include "store/group_commit.h"

namespace hookline::store {

// The delivery queue as write jobs of a store's group commit (WriteTxn's delivery operations):
// claims, records and releases share the writer's batches, and so its one sync to disk. What a
// single-writer backend (SQLite) uses. `writer` must outlive the queue.
class WriterDeliveryQueue final : public DeliveryQueue {
 public:
  explicit WriterDeliveryQueue(GroupCommit& writer) : writer_(writer) {}

  void claim(const std::string& owner, int64_t now_ms, int64_t lease_ms, int limit,
             std::function<void(Result<std::vector<Delivery>>)> done) override;
  void record(std::vector<AttemptRecord> records, int64_t now_ms,
              std::function<void(Result<std::vector<std::optional<Error>>>)> done) override;
  void release(const std::string& owner, std::vector<LeaseRef> leases, int64_t due_at_ms,
               std::function<void(Result<void>)> done) override;
  void requeue(const std::string& workspace_id, const std::string& delivery_id, int64_t now_ms,
               std::function<void(Result<Delivery>)> done) override;
  void requeue_failed(const std::string& workspace_id, const std::string& webhook_id,
                      int64_t since_ms, int64_t until_ms, int64_t now_ms,
                      std::function<void(Result<int64_t>)> done) override;
  void release_webhook(const std::string& webhook_id, int64_t now_ms,
                       std::function<void(Result<int64_t>)> done) override;
  void hasten(const std::string& webhook_id, int64_t now_ms, int64_t until_ms, int limit,
              std::function<void(Result<int64_t>)> done) override;
  void share_breaker(BreakerNews news, std::function<void(Result<int64_t>)> done) override;
  // Waits for the writer: call it at start-up, never from a `done` or a write job.
  Result<int64_t> release_leases_of(const std::string& owner, int64_t now_ms) override;

 private:
  // Runs `job`, whose value reaches `done` once committed (or the job's or commit's error).
  // Claims, records and releases are kRedoable: a power cut that loses one only makes a delivery
  // go again (at least once) or a lease run out.
  template <typename T>
  void run(std::function<Result<T>(WriteTxn&)> job, std::function<void(Result<T>)> done,
           Durability durability = Durability::kAcknowledged);

  GroupCommit& writer_;
};

}  // namespace hookline::store
