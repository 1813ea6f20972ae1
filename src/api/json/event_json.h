#pragma once

#include <boost/json/object.hpp>

#include "core/error.h"
#include "ingest/ingest.h"

namespace hookline::api {

// Reads one event of POST /v1/events (SPEC 9): "event" (name), "contact" {email, ...} or
// "contact_id", optional "id" (UUID), "event_details" (object) and "event_time" (ms). Field names
// in errors are prefixed with `prefix` ("events[3]") when it is not empty.
Result<ingest::EventInput> parse_event(const boost::json::object& body, const std::string& prefix);

}  // namespace hookline::api
