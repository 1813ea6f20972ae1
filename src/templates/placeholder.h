#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "templates/template.h"

// Internal to the templates module: what one placeholder stands for. Shared by the text, JSON and
// URL renderers so that all three resolve paths and apply filters the same way.
namespace hookline::templates {

// The value `placeholder` names in `context` after its filters, or nullopt when the path names
// nothing and no `default` filled it in; then "<path> is missing" is added to `warnings` (once).
// A null value is a value: it is returned as null, without a warning.
// REQUIRES: placeholder.is_placeholder.
std::optional<boost::json::value> resolve_placeholder(const Segment& placeholder,
                                                      const boost::json::object& context,
                                                      Warnings& warnings);

// The text of a value where only text fits (headers, URLs, mixed payload strings): strings as they
// are, null as "", numbers and booleans as JSON text, objects and arrays as serialized JSON.
std::string value_text(const boost::json::value& value);

// resolve_placeholder, then value_text; a missing value gives "".
std::string placeholder_text(const Segment& placeholder, const boost::json::object& context,
                             Warnings& warnings);

}  // namespace hookline::templates
