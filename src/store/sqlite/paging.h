#pragma once

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace hookline::store::sqlite {

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
