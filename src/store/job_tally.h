#pragma once

#include <functional>
#include <map>
#include <vector>

#include "core/error.h"

namespace hookline::store {

// Counts that the jobs of a write batch make, summed in memory by key so that the batch adds to
// each key's stored row once, however many jobs counted it. Counts belong to the job that made them
// until it ends: kept if it succeeded, dropped if it failed (its writes were undone too).
//
// Value is default-constructible (zero), adds with +=, and compares with ==. Less compares keys
// with what `job` is given to find them by, so that a key seen before costs no allocation.
template <typename Key, typename Value, typename Less = std::less<>>
class JobTally {
 public:
  // The job in progress's count for `key`, to add to.
  template <typename KeyLike>
  Value& job(const KeyLike& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) it = entries_.emplace(Key(key), Entry{}).first;
    if (!it->second.touched) {
      it->second.touched = true;
      touched_.push_back(&it->second);
    }
    return it->second.job;
  }

  // The job in progress ended: its counts join the batch's, or are dropped.
  void end_job(bool succeeded) {
    for (Entry* entry : touched_) {
      if (succeeded) entry->batch += entry->job;
      entry->job = Value{};
      entry->touched = false;
    }
    touched_.clear();
  }

  // Calls fn(key, value) for every key the batch's kept jobs counted, in key order; stops at the
  // first error.
  template <typename Fn>
  Result<void> for_each(Fn fn) const {
    for (const auto& [key, entry] : entries_) {
      if (entry.batch == Value{}) continue;
      if (auto r = fn(key, entry.batch); !r) return r;
    }
    return {};
  }

  void clear() {
    entries_.clear();
    touched_.clear();
  }

 private:
  struct Entry {
    Value batch{};
    Value job{};
    bool touched = false;
  };
  std::map<Key, Entry, Less> entries_;  // map nodes never move: touched_ may point into it
  std::vector<Entry*> touched_;         // entries the job in progress has counted
};

}  // namespace hookline::store
