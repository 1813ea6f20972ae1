#pragma once

#include <string_view>
#include <vector>

namespace hookline::store {

// One schema step, from src/store/migrations/NNNN_name.sql, embedded at build time.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration, in version order.
const std::vector<Migration>& migrations();

}  // namespace hookline::store
