#include "api/responses.h"

#include <boost/json/serialize.hpp>
#include <charconv>

namespace hookline::api {

ApiResponse json_response(int status, const boost::json::value& body) {
  ApiResponse response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

ApiResponse no_content() {
  ApiResponse response;
  response.status = 204;
  return response;
}

Result<store::PageRequest> page_request(const ApiRequest& request) {
  store::PageRequest page;
  if (auto it = request.query.find("limit"); it != request.query.end()) {
    int limit = 0;
    const auto& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 250) {
      return std::unexpected(Error::validation("limit", "limit must be an integer from 1 to 250"));
    }
    page.limit = limit;
  }
  if (auto it = request.query.find("cursor"); it != request.query.end()) page.cursor = it->second;
  return page;
}

}  // namespace hookline::api
