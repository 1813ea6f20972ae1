#include "api/error_response.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/utf8.h"

namespace hookline::api {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbiddenScope:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
    case ErrorCode::kStorageFull:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

ApiResponse error_response(const Error& error) {
  // Messages quote what the client sent (a path, an id) and Boost.JSON copies bytes as they are:
  // invalid UTF-8 there would make the whole body invalid JSON.
  boost::json::object detail{{"code", error_code_name(error.code)},
                             {"message", to_valid_utf8(error.message)}};
  detail["field"] = error.field.empty() ? boost::json::value(nullptr)
                                        : boost::json::value(to_valid_utf8(error.field));
  ApiResponse response;
  response.status = http_status(error.code);
  response.body = boost::json::serialize(boost::json::object{{"error", std::move(detail)}});
  if (error.code == ErrorCode::kUnauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.code == ErrorCode::kStorageFull) {
    // Space comes back when an operator frees it or retention removes old rows; a client that
    // retries every few seconds gets in as soon as it does.
    response.headers.emplace_back("Retry-After", std::to_string(kStorageFullRetryAfterSeconds));
  }
  return response;
}

}  // namespace hookline::api
