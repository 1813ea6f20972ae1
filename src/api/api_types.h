#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/access.h"

namespace hookline::api {

// A request as the handlers see it: no Beast types past the server.
struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query: for logs and messages, never to route on
  // The path split on the slashes sent, then decoded (an encoded "/" stays in its segment); no
  // empty segments. Routing matches these.
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
  std::string authorization;  // the Authorization header, as sent
  std::string body;
  std::string request_id;
  // Filled in by routing and authentication.
  std::map<std::string, std::string> params;  // {id} and friends from the route pattern
  Caller caller;                              // the API key's
  std::string workspace_id;                   // the caller's workspace, where the request works

  const std::string& param(const std::string& name) const { return params.at(name); }
  // A query parameter's value, "" when it is absent.
  std::string query_value(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once with the response; may be called from any thread.
using Respond = std::function<void(ApiResponse)>;

}  // namespace hookline::api
