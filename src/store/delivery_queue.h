#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/delivery.h"
#include "core/error.h"

namespace hookline::store {

// A change of a webhook's circuit breaker seen by one node, for the other nodes sharing the store
// (DeliveryQueue::share_breaker, Store::watch_cluster), so a dead receiver is probed by one node,
// not by each.
struct BreakerNews {
  std::string node_id;  // the node whose breaker changed
  std::string webhook_id;
  bool open = false;  // opened, or reopened by a failed probe; false: closed by a success
  // Open only: when that node probes, the length of this opening, and the failures counted.
  int64_t open_until_ms = 0;
  int64_t interval_ms = 0;
  int consecutive_failures = 0;

  bool operator==(const BreakerNews&) const = default;
};

// How deliveries move between the store and the nodes that send them. A node claims due
// deliveries under a lease (its id and the delivery's next lease number: core/delivery.h),
// records the outcome of each try under that lease, or gives deliveries back; the API starts new
// rounds of tries. A write under a lease that is no longer held is refused, never applied.
//
// Every change is asynchronous: `done` runs once it is durable (or failed), on a thread of the
// store, and must not block. A backend may run these through its group commit (SQLite) or claim
// on a connection of its own (PostgreSQL's SKIP LOCKED).
class DeliveryQueue {
 public:
  virtual ~DeliveryQueue() = default;

  // Leases to `owner` up to `limit` deliveries that are due (pending or retrying, next_attempt_at
  // <= now: not leased, or their lease ended) for lease_length_ms(lease_ms, its webhook's
  // timeout) (core/delivery.h), oldest due first, each with its body.
  virtual void claim(const std::string& owner, int64_t now_ms, int64_t lease_ms, int limit,
                     std::function<void(Result<std::vector<Delivery>>)> done) = 0;

  // Records the outcomes of tries: each attempt logged and its delivery moved on, each on its
  // own, so that one refused (its lease was taken: kConflict) or failing does not keep the others
  // from landing. `done` gets one entry per record, in order: nullopt when it was recorded, else
  // why not. The outer error means none was recorded.
  virtual void record(std::vector<AttemptRecord> records, int64_t now_ms,
                      std::function<void(Result<std::vector<std::optional<Error>>>)> done) = 0;

  // Gives deliveries `owner` holds back, due at `due_at_ms`: work a node took but will not do. A
  // lease that is not `owner`'s with that number any more is left as it is.
  virtual void release(const std::string& owner, std::vector<LeaseRef> leases, int64_t due_at_ms,
                       std::function<void(Result<void>)> done) = 0;

  // A new round of tries for one delivery, due now, the retry schedule from its start. kNotFound
  // for an id not in the workspace; kConflict while a try of it is in flight.
  virtual void requeue(const std::string& workspace_id, const std::string& delivery_id,
                       int64_t now_ms, std::function<void(Result<Delivery>)> done) = 0;

  // A new round for the webhook's deliveries that failed (retrying, not in flight) or died,
  // created in [since_ms, until_ms). Replies how many.
  virtual void requeue_failed(const std::string& workspace_id, const std::string& webhook_id,
                              int64_t since_ms, int64_t until_ms, int64_t now_ms,
                              std::function<void(Result<int64_t>)> done) = 0;

  // The webhook was enabled again: the deliveries held while it was disabled are due now. Replies
  // how many.
  virtual void release_webhook(const std::string& webhook_id, int64_t now_ms,
                               std::function<void(Result<int64_t>)> done) = 0;

  // The webhook has room again: of its deliveries given back due later for want of it (pending,
  // never tried, not leased, due in (now_ms, until_ms]), up to `limit`, the soonest due first,
  // become due now. Replies how many.
  virtual void hasten(const std::string& webhook_id, int64_t now_ms, int64_t until_ms, int limit,
                      std::function<void(Result<int64_t>)> done) = 0;

  // Tells the other nodes sharing the store of a change of this node's breaker for a webhook,
  // once the write job carrying it commits (a store only one process uses has nobody to tell),
  // and keeps how long the webhook has been failing: `done` gets the Unix ms its breaker opened
  // at the start of the current failing spell, whichever node opened it, or 0 when this news
  // closes it. The spell outlives restarts; a user enabling the webhook ends it.
  virtual void share_breaker(BreakerNews news, std::function<void(Result<int64_t>)> done) = 0;

  // At a node's start, before it claims anything: the leases it held in a previous run (`owner`,
  // its node id) end now, so what it had in flight at a crash is due again. Other nodes' leases
  // are theirs. Blocks until done; returns how many deliveries that released.
  virtual Result<int64_t> release_leases_of(const std::string& owner, int64_t now_ms) = 0;
};

}  // namespace hookline::store
