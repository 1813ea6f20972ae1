#pragma once

#include <boost/json/object.hpp>

#include "core/delivery.h"

namespace hookline::api {

// A delivery in the log: its state, without the body.
boost::json::object delivery_to_json(const Delivery& delivery);
// One try: the request as sent (credentials masked), the response or the error.
boost::json::object attempt_to_json(const Attempt& attempt);

}  // namespace hookline::api
