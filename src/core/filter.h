#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hookline {

// A test on an event or its contact: `field` is a path such as "event_details.campaign_name",
// "contact.country" or "event.name"; ops eq, neq, contains, exists, gt, lt. A journey's trigger
// and condition use them, and so does a webhook's subscription (journeys/filters.h evaluates).
struct Filter {
  std::string field;
  std::string op;
  boost::json::value value;
};

// A filter as the API gives it, {"field", "op", "value"}: an error's `field` is the key at fault
// ("field", "op", "value"; empty when `json` is not an object), for the caller to place.
Result<Filter> read_filter(const boost::json::value& json);
boost::json::object filter_to_json(const Filter& filter);

}  // namespace hookline
