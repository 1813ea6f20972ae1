#pragma once

#include <chrono>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "store/store.h"

namespace hookline::api {

// "Bearer <key>" -> the key's workspace. Keys are stored as SHA-256 hashes only.
//
// Every /v1 request asks, so a known key is remembered in memory for a second: the event path
// then asks the store about each key once a second at most, not on every request. A second, so
// that a key removed from a store several nodes share is refused by every node a second later.
// Whoever adds deletion through this node drops the key here at once (forget()).
class ApiKeys {
 public:
  static constexpr std::chrono::seconds kRememberFor{1};

  explicit ApiKeys(store::Store& store) : store_(store) {}

  Result<std::string> authenticate(const std::string& authorization);
  void forget(const std::string& key_hash);

 private:
  store::Store& store_;
  std::shared_mutex mutex_;
  struct Known {
    std::string workspace_id;
    std::chrono::steady_clock::time_point until;  // asked the store again after this
  };
  std::unordered_map<std::string, Known> known_;  // GUARDED_BY(mutex_): by the key's hash
};

}  // namespace hookline::api
