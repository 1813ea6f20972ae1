#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "api/json/body_reader.h"

namespace hookline::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input as a request body would be read: a JSON object within the request's limits.
inline std::optional<boost::json::object> as_body(const uint8_t* data, size_t size) {
  auto body = api::parse_object_body(as_text(data, size));
  if (!body) return std::nullopt;
  return std::move(*body);
}

}  // namespace hookline::fuzz
