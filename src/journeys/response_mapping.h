#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/journey.h"

namespace hookline::journeys {

// A Webhook block's response_mapping: fields of the call's JSON answer copied onto the contact.

// `from` as a JSON Pointer (RFC 6901). Taken as given when it starts with '/'; a $-path
// ("$.lead.score", "$.items[0].id", "$['a b']") is turned into one. nullopt: neither.
std::optional<std::string> mapping_pointer(std::string_view from);

// Whether `name` may be set by a mapping: 1 to 64 letters, digits and '_', and not "email" (a
// contact's identity is not the receiver's to change).
bool is_mappable_property(std::string_view name);

// "any", "string", "number" or "boolean".
bool is_mapping_type(std::string_view type);

struct MappedAnswer {
  boost::json::object properties;   // to set on the contact
  std::vector<std::string> errors;  // one per mapping that did not apply, saying why
};

// Applies `mappings` to an answer body. A body that is not a JSON object or array, a pointer
// that finds nothing, or a value of another type than asked is an error of that mapping alone;
// the others still apply.
MappedAnswer map_answer(const std::vector<ResponseMapping>& mappings, std::string_view body);

}  // namespace hookline::journeys
