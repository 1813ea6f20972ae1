#pragma once

#include "api/api_types.h"
#include "core/error.h"

namespace hookline::api {

// The one place an ErrorCode becomes an HTTP status.
int http_status(ErrorCode code);

// {"error": {"code", "message", "field"}} with the status of the code.
ApiResponse error_response(const Error& error);

}  // namespace hookline::api
