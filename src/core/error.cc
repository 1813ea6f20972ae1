#include "core/error.h"

namespace hookline {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kValidation:
      return "validation_error";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbiddenScope:
      return "forbidden_scope";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnprocessable:
      return "unprocessable";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kStorageFull:
      return "storage_full";
    case ErrorCode::kInternal:
      return "internal_error";
  }
  return "internal_error";
}

}  // namespace hookline
