#pragma once

#include "api/api_types.h"
#include "core/error.h"

namespace hookline::api {

// What a storage_full answer asks the client to wait before it retries, in its Retry-After.
inline constexpr int kStorageFullRetryAfterSeconds = 5;

// The one place an ErrorCode becomes an HTTP status.
int http_status(ErrorCode code);

// {"error": {"code", "message", "field"}} with the status of the code.
ApiResponse error_response(const Error& error);

}  // namespace hookline::api
