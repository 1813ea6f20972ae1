#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/delivery_queue.h"
#include "store/group_commit.h"
#include "store/repositories.h"
#include "store/store_types.h"
#include "store/webhook_secrets.h"

namespace hookline::store {

// A watch on what the other nodes sharing the store say (Store::watch_cluster); destroying it
// ends the watch.
class ClusterWatch {
 public:
  virtual ~ClusterWatch() = default;
};

// What a node hears from the nodes sharing its store, on a thread of the store; neither may block.
struct ClusterListener {
  // The id of a webhook changed (edited, disabled, rotated, deleted) by any node, this one
  // included, within a moment of the change's commit. An empty id means any webhook may have
  // changed (the store lost track for a moment).
  std::function<void(const std::string& webhook_id)> webhook_changed;
  // A node's breaker changed (DeliveryQueue::share_breaker), this node's own news included.
  std::function<void(const BreakerNews& news)> breaker_changed;
  // Deliveries became due now through some node, this one included: released, requeued,
  // recovered, or a webhook enabled again. Whoever has room may claim them without waiting for
  // its next poll.
  std::function<void()> work_due;
};

// Everything Hookline keeps: every repository, the group-commit writer and the delivery queue.
// Two implementations: SQLite (one node, the default) and PostgreSQL (several nodes). Only store/
// speaks SQL. Parts of Hookline take the narrower interfaces they use (repositories.h).
class Store : public Workspaces,
              public ApiKeys,
              public AuditLog,
              public Webhooks,
              public Contacts,
              public Lists,
              public Journeys,
              public DeliveryLog,
              public EventCatalog,
              public GroupCommit {
 public:
  // Applies pending schema migrations; returns the versions applied.
  virtual Result<std::vector<int>> migrate() = 0;

  // One pass over every stored webhook's secrets (SealMode says what it does; the store's box
  // seals and opens them). When it sealed or re-sealed anything, the replaced values are also
  // wiped from what the store can reach: SQLite's free pages and WAL, PostgreSQL's dead rows.
  // Fails, changing nothing in the transaction where it failed, when a value does not open.
  virtual Result<SealReport> seal_secrets(SealMode mode) = 0;

  // How deliveries are claimed, recorded and given back (leases).
  virtual DeliveryQueue& delivery_queue() = 0;

  // Tells `listener` what the nodes sharing the store say, until the returned watch is destroyed.
  // A store only one process uses (SQLite) tells nothing: that process made every change and
  // knows of it already.
  virtual std::unique_ptr<ClusterWatch> watch_cluster(ClusterListener listener) = 0;

  // Records that node `node_id` is alive at now_ms, and returns how many nodes sharing the store
  // (this one included) said so within the last kNodeAliveMs: the nodes sending deliveries, which
  // share every webhook's limits. A store only one process uses (SQLite) answers 1.
  static constexpr int64_t kNodeAliveMs = 3'000;
  virtual Result<int> heartbeat(const std::string& node_id, int64_t now_ms) = 0;

  // The store's size on disk.
  virtual Result<StorageStats> storage_stats() = 0;
  // Whether writes are failing for want of disk space: a write found the disk full a moment ago
  // (seconds). Cheap enough for every /readyz.
  virtual bool storage_full() const = 0;
};

}  // namespace hookline::store
