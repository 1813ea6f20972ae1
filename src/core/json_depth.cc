#include "core/json_depth.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <utility>
#include <vector>

namespace hookline {
namespace json = boost::json;

int json_depth(const json::value& value) {
  // A stack rather than recursion: the value may come from anywhere.
  int deepest = 0;
  std::vector<std::pair<const json::value*, int>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [at, depth] = pending.back();
    pending.pop_back();
    if (const json::object* object = at->if_object()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& entry : *object) pending.emplace_back(&entry.value(), depth + 1);
    } else if (const json::array* array = at->if_array()) {
      deepest = std::max(deepest, depth + 1);
      for (const json::value& item : *array) pending.emplace_back(&item, depth + 1);
    }
  }
  return deepest;
}

json::value parse_stored_json(std::string_view text, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = kMaxStoredJsonDepth;
  return json::parse(text, ec, {}, options);
}

}  // namespace hookline
