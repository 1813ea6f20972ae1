#pragma once

#include <chrono>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "api/access.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/repositories.h"

namespace hookline::api {

// "Bearer <key>" -> who is calling (Caller). Keys are stored as SHA-256 hashes only.
//
// Every /v1 request asks, so a key is remembered in memory for a second: the event path then asks
// the store about each key once a second at most, not on every request. A second, so that a key
// revoked through another node sharing the store is refused by every node a second later; one
// revoked through this node is refused at once (forget()). Revoked and expired keys are
// remembered too, to say why they are refused without asking the store again.
class ApiKeys {
 public:
  static constexpr std::chrono::seconds kRememberFor{1};
  // How often a key's last use is written: a write per request would cost ingest a store write.
  static constexpr int64_t kLastUsedEveryMs = 60'000;

  ApiKeys(store::ApiKeys& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Caller> authenticate(const std::string& authorization);
  void forget(const std::string& key_hash);

 private:
  // The key with this hash from the store, with its last use written when it is due.
  Result<ApiKey> fetch(const std::string& hash);

  store::ApiKeys& store_;
  const Clock& clock_;
  std::shared_mutex mutex_;
  struct Known {
    ApiKey key;
    std::chrono::steady_clock::time_point until;  // asked the store again after this
  };
  std::unordered_map<std::string, Known> known_;  // GUARDED_BY(mutex_): by the key's hash
  // Bumped by forget(): what a store read begun before a revocation found is not remembered.
  uint64_t generation_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::api
