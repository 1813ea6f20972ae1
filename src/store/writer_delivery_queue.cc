#include "store/writer_delivery_queue.h"

#include <future>
#include <memory>
#include <utility>

namespace hookline::store {

template <typename T>
void WriterDeliveryQueue::run(std::function<Result<T>(WriteTxn&)> job,
                              std::function<void(Result<T>)> done, Durability durability) {
  // Filled by the job on the writer's thread, read by `done` after it, on the same thread.
  auto value = std::make_shared<std::optional<Result<T>>>();
  writer_.write(
      [value, job = std::move(job)](WriteTxn& txn) -> Result<void> {
        *value = job(txn);
        if (!**value) return std::unexpected((*value)->error());
        return {};
      },
      [value, done = std::move(done)](Result<void> committed) {
        if (!committed) return done(std::unexpected(std::move(committed.error())));
        done(std::move(**value));
      },
      durability);
}

void WriterDeliveryQueue::claim(const std::string& owner, int64_t now_ms, int64_t lease_ms,
                                int limit,
                                std::function<void(Result<std::vector<Delivery>>)> done) {
  run<std::vector<Delivery>>(
      [owner, now_ms, lease_ms, limit](WriteTxn& txn) {
        return txn.claim_due_deliveries(owner, now_ms, lease_ms, limit);
      },
      std::move(done), Durability::kRedoable);
}

void WriterDeliveryQueue::record(
    std::vector<AttemptRecord> records, int64_t now_ms,
    std::function<void(Result<std::vector<std::optional<Error>>>)> done) {
  using Outcomes = std::vector<std::optional<Error>>;
  run<Outcomes>(
      [records = std::move(records), now_ms](WriteTxn& txn) -> Result<Outcomes> {
        auto outcomes = txn.record_attempts(records, now_ms);
        if (!outcomes) return outcomes;
        std::vector<std::string> ended;  // a journey's Webhook block may wait for their outcome
        std::vector<OrderChain> chains;  // their next deliveries may go now
        std::vector<const AttemptRecord*> long_answers;
        for (size_t i = 0; i < records.size(); ++i) {
          if ((*outcomes)[i]) continue;
          const AttemptRecord& record = records[i];
          txn.count_attempt(record);
          if (!record.ends_delivery()) continue;
          ended.push_back(record.attempt.delivery_id);
          if (!record.answer.empty()) long_answers.push_back(&record);
          if (!record.order_key.empty()) {
            chains.push_back({record.attempt.webhook_id, record.order_key});
          }
        }
        if (auto kept = txn.keep_awaited_answers(long_answers); !kept) {
          return std::unexpected(kept.error());
        }
        if (auto woken = txn.wake_enrolments_awaiting(ended, now_ms); !woken) {
          return std::unexpected(woken.error());
        }
        if (auto released = txn.release_next_in_order(chains, now_ms); !released) {
          return std::unexpected(released.error());
        }
        return outcomes;
      },
      std::move(done), Durability::kRedoable);
}

void WriterDeliveryQueue::release(const std::string& owner, std::vector<LeaseRef> leases,
                                  int64_t due_at_ms, std::function<void(Result<void>)> done) {
  run<void>([owner, leases = std::move(leases),
             due_at_ms](WriteTxn& txn) { return txn.release_deliveries(owner, leases, due_at_ms); },
            std::move(done), Durability::kRedoable);
}

void WriterDeliveryQueue::requeue(const std::string& workspace_id, const std::string& delivery_id,
                                  int64_t now_ms, std::function<void(Result<Delivery>)> done) {
  run<Delivery>(
      [workspace_id, delivery_id, now_ms](WriteTxn& txn) {
        return txn.requeue_delivery(workspace_id, delivery_id, now_ms);
      },
      std::move(done));
}

void WriterDeliveryQueue::requeue_failed(const std::string& workspace_id,
                                         const std::string& webhook_id, int64_t since_ms,
                                         int64_t until_ms, int64_t now_ms,
                                         std::function<void(Result<int64_t>)> done) {
  run<int64_t>(
      [workspace_id, webhook_id, since_ms, until_ms, now_ms](WriteTxn& txn) {
        return txn.requeue_failed(workspace_id, webhook_id, since_ms, until_ms, now_ms);
      },
      std::move(done));
}

void WriterDeliveryQueue::release_webhook(const std::string& webhook_id, int64_t now_ms,
                                          std::function<void(Result<int64_t>)> done) {
  run<int64_t>([webhook_id, now_ms](
                   WriteTxn& txn) { return txn.release_webhook_deliveries(webhook_id, now_ms); },
               std::move(done));
}

void WriterDeliveryQueue::hasten(const std::string& webhook_id, int64_t now_ms, int64_t until_ms,
                                 int limit, std::function<void(Result<int64_t>)> done) {
  run<int64_t>(
      [webhook_id, now_ms, until_ms, limit](WriteTxn& txn) {
        return txn.hasten_deferred(webhook_id, now_ms, until_ms, limit);
      },
      std::move(done));
}

void WriterDeliveryQueue::share_breaker(BreakerNews news,
                                        std::function<void(Result<int64_t>)> done) {
  run<int64_t>([news = std::move(news)](WriteTxn& txn) { return txn.share_breaker(news); },
               std::move(done));
}

Result<int64_t> WriterDeliveryQueue::release_leases_of(const std::string& owner, int64_t now_ms) {
  std::promise<Result<int64_t>> released;
  run<int64_t>([owner, now_ms](WriteTxn& txn) { return txn.release_leases_of(owner, now_ms); },
               [&released](Result<int64_t> result) { released.set_value(std::move(result)); });
  return released.get_future().get();
}

}  // namespace hookline::store
