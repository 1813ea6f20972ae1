#pragma once

#include <boost/json/object.hpp>

#include "core/journey.h"

namespace hookline::journeys {

// Whether `filter` holds in `context`, an object with "event" ({id, name, time}),
// "event_details" and "contact". The field path is followed key by key ("contact.country").
// eq/neq compare JSON values, numbers and numeric text as numbers; contains is a substring test
// on text or membership in an array; gt/lt compare numbers, else text; exists means present and
// not null. A missing field fails every op but neq.
bool filter_holds(const Filter& filter, const boost::json::object& context);

// All filters hold (none is true).
bool all_hold(const std::vector<Filter>& filters, const boost::json::object& context);

}  // namespace hookline::journeys
