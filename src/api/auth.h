#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "store/store.h"

namespace hookline::api {

// "Bearer <key>" -> the key's workspace. Keys are stored as SHA-256 hashes only.
//
// Every /v1 request asks, so known keys are remembered in memory: the event path then never waits
// on the store's read lock to authenticate. Keys cannot be deleted today; whoever adds deletion
// must drop the key here too (forget()).
class ApiKeys {
 public:
  explicit ApiKeys(store::Store& store) : store_(store) {}

  Result<std::string> authenticate(const std::string& authorization);
  void forget(const std::string& key_hash);

 private:
  store::Store& store_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::string>
      workspaces_;  // GUARDED_BY(mutex_): hash -> workspace
};

}  // namespace hookline::api
