#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "store/job_tally.h"

namespace hookline::store {

// Compares owned (journey id, path) keys and views of them alike.
struct PathKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::pair<std::string_view, std::string_view>(a.first, a.second) <
           std::pair<std::string_view, std::string_view>(b.first, b.second);
  }
};

// How many contacts took each path through each journey (core/journey_path.h): a write batch adds
// to each path's stored row once, however many contacts took it.
class PathCounts : public JobTally<std::pair<std::string, std::string>, int64_t, PathKeyLess> {
 public:
  using Key = std::pair<std::string, std::string>;  // journey id, path text

  // Adds one run to the job in progress.
  void add(std::string_view journey_id, std::string_view path) {
    ++job(std::pair<std::string_view, std::string_view>{journey_id, path});
  }
};

}  // namespace hookline::store
