#pragma once

#include <boost/json/object.hpp>

#include "core/error.h"
#include "core/journey.h"

namespace hookline::journeys {

// Reads name, reentry, blocks and edges as the API takes them (SPEC 5), checking every field's
// type and each block's config. A body of the wrong shape (no name, blocks not an array) is
// kValidation; a block that is wrong is kUnprocessable naming it ("blocks.c.config.in_list",
// "block c: ..."). Says nothing yet about the graph's shape: see validate_journey.
Result<Journey> journey_from_json(const boost::json::object& body);

// The graph as stored and as the API gives it: name, status, reentry, blocks (id, type, position,
// config as given), edges.
boost::json::object journey_to_json(const Journey& journey);

// "2d", "90m", "30s", "1h" -> milliseconds.
Result<int64_t> parse_duration(std::string_view text);

}  // namespace hookline::journeys
