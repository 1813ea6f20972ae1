#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/webhook.h"

namespace hookline {

// The JSON form of a webhook's parts, secrets included: how the store keeps them and what the API
// starts from before masking. Reading trusts its input (it was written by auth_to_json).
boost::json::object auth_to_json(const WebhookAuth& auth);
WebhookAuth auth_from_json(const boost::json::value& json);

boost::json::array headers_to_json(const std::vector<HeaderTemplate>& headers);
std::vector<HeaderTemplate> headers_from_json(const boost::json::value& json);

// Filters are read back through read_filter: a stored one that does not read is kInternal.
boost::json::array filters_to_json(const std::vector<Filter>& filters);
Result<std::vector<Filter>> filters_from_json(const boost::json::value& json);

}  // namespace hookline
