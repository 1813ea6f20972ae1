#pragma once

#include <optional>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace hookline::store::sqlite {

// Every row of a query, each through `read_row`.
template <typename T, typename ReadRow>
Result<std::vector<T>> read_all(Statement& query, ReadRow read_row) {
  std::vector<T> rows;
  while (true) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return rows;
    rows.push_back(read_row(query));
  }
}

// The first row of a query, if there is one.
template <typename T, typename ReadRow>
Result<std::optional<T>> read_one(Statement& query, ReadRow read_row) {
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<T>();
  return std::optional<T>(read_row(query));
}

// Reads a page from a query that asked for limit + 1 rows in id order: the extra row only says that
// another page follows.
template <typename T, typename ReadRow>
Result<Page<T>> read_page(Statement& query, int limit, ReadRow read_row) {
  Page<T> page;
  while (true) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(read_row(query));
  }
  return page;
}

}  // namespace hookline::store::sqlite
