#pragma once

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>
#include <string_view>

namespace hookline {

// How deep a request's body may nest objects and arrays, checked as it is parsed: deeper than any
// field below allows, so that the fields' own limits give the precise error.
inline constexpr int kMaxRequestJsonDepth = 64;
// How deep the JSON a user gives as data (event details, contact properties, a webhook's custom
// payload) may nest, counting the object itself as 1. One limit at every input, low enough that
// whatever Hookline builds from accepted data (a delivery body holds the details two levels down;
// a custom payload may embed them) can always be read back with kMaxStoredJsonDepth.
inline constexpr int kMaxUserJsonDepth = 20;
// What JSON Hookline composed and stored itself is read back with.
inline constexpr int kMaxStoredJsonDepth = 128;

// 0 for a scalar, 1 for an object or array of scalars (or empty), and so on.
int json_depth(const boost::json::value& value);

// Parses JSON that Hookline wrote itself (a delivery's body, a waiting contact's event, a
// journey's graph) with kMaxStoredJsonDepth.
boost::json::value parse_stored_json(std::string_view text, boost::system::error_code& ec);

}  // namespace hookline
