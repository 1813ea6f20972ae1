#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/delivery_queue.h"
#include "store/group_commit.h"
#include "store/repositories.h"
#include "store/store_types.h"

namespace hookline::store {

// Everything Hookline keeps: every repository, the group-commit writer and the delivery queue.
// Two implementations: SQLite (one node, the default) and PostgreSQL (several nodes). Only store/
// speaks SQL. Parts of Hookline take the narrower interfaces they use (repositories.h).
class Store : public ApiKeys,
              public Webhooks,
              public Contacts,
              public Lists,
              public Journeys,
              public DeliveryLog,
              public GroupCommit {
 public:
  // Applies pending schema migrations; returns the versions applied.
  virtual Result<std::vector<int>> migrate() = 0;

  // How deliveries are claimed, recorded and given back (leases).
  virtual DeliveryQueue& delivery_queue() = 0;

  // The store's size on disk.
  virtual Result<StorageStats> storage_stats() = 0;
  // Whether writes are failing for want of disk space: a write found the disk full a moment ago
  // (seconds). Cheap enough for every /readyz.
  virtual bool storage_full() const = 0;
};

}  // namespace hookline::store
