#pragma once

#include <optional>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace hookline::store::sqlite {

// A reader returns a T, or a Result<T> when reading a row can fail (a webhook whose secrets do not
// open): either way the functions below see a Result<T>.
template <typename T>
Result<T> checked(T value) {
  return value;
}
template <typename T>
Result<T> checked(Result<T> value) {
  return value;
}

// Every row of a query, each through `read_row`.
template <typename T, typename ReadRow>
Result<std::vector<T>> read_all(Statement& query, ReadRow read_row) {
  std::vector<T> rows;
  while (true) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return rows;
    auto value = checked<T>(read_row(query));
    if (!value) return std::unexpected(value.error());
    rows.push_back(std::move(*value));
  }
}

// The first row of a query, if there is one.
template <typename T, typename ReadRow>
Result<std::optional<T>> read_one(Statement& query, ReadRow read_row) {
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<T>();
  auto value = checked<T>(read_row(query));
  if (!value) return std::unexpected(value.error());
  return std::optional<T>(std::move(*value));
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
    auto value = checked<T>(read_row(query));
    if (!value) return std::unexpected(value.error());
    page.items.push_back(std::move(*value));
  }
  return page;
}

}  // namespace hookline::store::sqlite
