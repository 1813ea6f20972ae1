#include "api/request_target.h"

#include <boost/url/parse.hpp>

namespace hookline::api {

Result<RequestTarget> parse_request_target(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return std::unexpected(Error::validation("", "the request target is not a valid path"));
  }
  RequestTarget out;
  out.path = url->path();
  // segments() splits the encoded path and decodes each piece: what routing needs.
  for (std::string segment : url->segments()) {
    if (!segment.empty()) out.segments.push_back(std::move(segment));
  }
  for (auto param : url->params()) out.query[param.key] = param.value;
  return out;
}

}  // namespace hookline::api
