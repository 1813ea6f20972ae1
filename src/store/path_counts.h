#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

#include "store/job_tally.h"

namespace hookline::store {

// Compares owned (journey id, version, path) keys and views of them alike.
struct PathKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return view(a) < view(b);
  }

 private:
  template <typename K>
  static std::tuple<std::string_view, int, std::string_view> view(const K& key) {
    return {std::get<0>(key), std::get<1>(key), std::get<2>(key)};
  }
};

// How many contacts took each path through each version of each journey (core/journey_path.h): a
// write batch adds to each path's stored row once, however many contacts took it.
class PathCounts
    : public JobTally<std::tuple<std::string, int, std::string>, int64_t, PathKeyLess> {
 public:
  using Key = std::tuple<std::string, int, std::string>;  // journey id, version, path text

  // Adds one run to the job in progress.
  void add(std::string_view journey_id, int version, std::string_view path) {
    ++job(std::tuple<std::string_view, int, std::string_view>{journey_id, version, path});
  }
};

}  // namespace hookline::store
