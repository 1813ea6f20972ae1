#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace hookline {

// The one error vocabulary of the project. api/error_response.cc maps each code to an HTTP status;
// nothing else decides statuses.
enum class ErrorCode {
  kInvalidJson,       // the body is not JSON, or not the JSON shape expected
  kValidation,        // a field has a wrong type, is missing or breaks a rule
  kUnauthorized,      // no API key, an unknown one, or one revoked or expired
  kForbiddenScope,    // a valid key whose scope does not allow the request
  kNotFound,          // the resource or route does not exist
  kMethodNotAllowed,  // the route exists, the method does not
  kConflict,          // the change clashes with what is stored
  kPayloadTooLarge,   // the body is over --max-body
  kUnprocessable,     // well-formed, but refers to something that cannot be used
  kRateLimited,
  kUnavailable,  // a dependency (store, network) failed; the caller may retry
  kStorageFull,  // the disk is full: nothing was stored; the caller may retry once space is back
  kInternal,     // a broken invariant
};

struct Error {
  ErrorCode code;
  std::string message;
  std::string field;  // the offending field's path ("auth.username"), empty when none applies

  static Error validation(std::string field, std::string message) {
    return {ErrorCode::kValidation, std::move(message), std::move(field)};
  }
  static Error not_found(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error unavailable(std::string message) {
    return {ErrorCode::kUnavailable, std::move(message), {}};
  }
  static Error storage_full(std::string message) {
    return {ErrorCode::kStorageFull, std::move(message), {}};
  }
};

// The machine-readable name of a code, as sent in {"error": {"code": ...}}.
std::string_view error_code_name(ErrorCode code);

template <typename T>
using Result = std::expected<T, Error>;

}  // namespace hookline
