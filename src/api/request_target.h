#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hookline::api {

// A request target (origin-form: path and query) as routing and handlers see it.
struct RequestTarget {
  std::string path;  // percent-decoded, for logs and messages only: never split again
  // Split on the slashes sent, then each one percent-decoded, so an encoded "/" (%2F) stays
  // inside its segment. Empty segments (double and trailing slashes) are left out.
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
};

// A target that is not origin-form ("/path?query") is a validation error.
Result<RequestTarget> parse_request_target(std::string_view target);

}  // namespace hookline::api
