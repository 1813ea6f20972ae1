#pragma once

#include <boost/json/value.hpp>

#include "api/api_types.h"
#include "api/error_response.h"
#include "store/store.h"

namespace hookline::api {

ApiResponse json_response(int status, const boost::json::value& body);
ApiResponse no_content();

// limit (1..250, default 50) and cursor from the query string.
Result<store::PageRequest> page_request(const ApiRequest& request);

// {"data": [...], "next_cursor": "..." | null}
template <typename T, typename ToJson>
ApiResponse page_response(const store::Page<T>& page, ToJson to_json) {
  boost::json::array data;
  data.reserve(page.items.size());
  for (const T& item : page.items) data.push_back(to_json(item));
  boost::json::object body{{"data", std::move(data)}};
  body["next_cursor"] =
      page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return json_response(200, body);
}

// Turns a Result into a response: the value through on_ok, or the error's response.
template <typename T, typename OnOk>
ApiResponse respond_with(Result<T>&& result, OnOk on_ok) {
  if (!result) return error_response(result.error());
  if constexpr (std::is_void_v<T>) {
    return on_ok();
  } else {
    return on_ok(*result);
  }
}

}  // namespace hookline::api
