#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"

namespace hookline::store {

// A page of deliveries goes on before a seq, and its cursor is that seq in decimal: unlike the id
// of the page's last delivery, it still means the same once retention removed that delivery.
// Empty: the first page. Anything else is kValidation on "cursor".
inline Result<std::optional<int64_t>> delivery_cursor_seq(const std::string& cursor) {
  if (cursor.empty()) return std::nullopt;
  int64_t seq = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || seq <= 0) {
    return std::unexpected(
        Error::validation("cursor", "cursor must be the next_cursor of a page of deliveries"));
  }
  return seq;
}

// What record_attempt answers an attempt that comes with no lease: a bug in the caller, since
// only the node holding a delivery records its tries.
inline Error attempt_without_lease(int number, const std::string& delivery_id) {
  return Error{ErrorCode::kInternal,
               "attempt " + std::to_string(number) + " of delivery " + delivery_id +
                   " comes with no lease: only a holder records",
               {}};
}

}  // namespace hookline::store
