#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace hookline::store {

// How many contacts took each path through each journey (core/journey_path.h), summed in memory
// so that a whole write batch adds to each path's stored row once, however many contacts took it.
// Counts belong to the job that made them until it ends: kept if it succeeded, dropped if it
// failed (its writes were undone too).
class PathCounts {
 public:
  using Key = std::pair<std::string, std::string>;  // journey id, path text

  // Adds one run to the job in progress.
  void add(std::string_view journey_id, std::string_view path) {
    // Found by views first: a path seen before in this batch costs no allocation.
    auto it = entries_.find(std::pair{journey_id, path});
    if (it == entries_.end()) it = entries_.emplace(Key{journey_id, path}, Entry{}).first;
    if (it->second.job++ == 0) touched_.push_back(&it->second);
  }

  // The job in progress ended: its runs join the batch's, or are dropped.
  void end_job(bool succeeded) {
    for (Entry* entry : touched_) {
      if (succeeded) entry->batch += entry->job;
      entry->job = 0;
    }
    touched_.clear();
  }

  // Calls fn(key, runs) for every path the batch's kept jobs counted; stops at the first error.
  template <typename Fn>
  Result<void> for_each(Fn fn) const {
    for (const auto& [key, entry] : entries_) {
      if (entry.batch == 0) continue;
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
    int64_t batch = 0;
    int64_t job = 0;
  };
  // Compares owned keys and (journey id, path) views alike.
  struct Less {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  std::map<Key, Entry, Less> entries_;  // map nodes never move: touched_ may point into it
  std::vector<Entry*> touched_;         // entries the job in progress has counted
};

}  // namespace hookline::store
