#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/access.h"
#include "api/api_types.h"
#include "api/route_metrics.h"
#include "core/error.h"

namespace hookline::api {

// Decides who an Authorization header names (ApiKeys::authenticate).
using Authenticate = std::function<Result<Caller>(const std::string& authorization)>;
// Counts a request of an authenticated key against its rate limit: nullopt when it may go, else
// how many ms until it may (KeyRateLimits).
using RateLimit = std::function<std::optional<int64_t>(const std::string& authorization)>;

// Maps "METHOD /path/{param}" to handlers. Routing is a plain function of the request: the server
// only moves bytes.
class Router {
 public:
  using SyncHandler = std::function<ApiResponse(ApiRequest&)>;
  using AsyncHandler = std::function<void(ApiRequest&, Respond)>;

  explicit Router(Authenticate authenticate) : authenticate_(std::move(authenticate)) {}

  // Routes under /v1 need an API key that `access` lets in (a 403 forbidden_scope otherwise);
  // the others are public.
  void add(std::string method, std::string pattern, SyncHandler handler,
           Access access = Access::kManage);
  void add_async(std::string method, std::string pattern, AsyncHandler handler,
                 Access access = Access::kManage);
  // Limits the requests each key makes to routes under /v1 (but ingest): a 429 with Retry-After.
  void set_rate_limit(RateLimit limit) { rate_limit_ = std::move(limit); }
  // Handles every GET that no route matched (the web UI's files).
  void set_fallback(SyncHandler handler) { fallback_ = std::move(handler); }

  // Runs the handler of the route matching request.segments; respond is called exactly once.
  // A GET route answers HEAD too (the server sends no body with it).
  void dispatch(ApiRequest request, Respond respond) const;

  // Requests and their durations per route (the route's pattern, "/v1/webhooks/{id}", so a
  // scrape has one series per route however many ids there are), in Prometheus text. Requests
  // no route took (the web UI's files, 404s, 405s) count under route "other".
  void write_prometheus(PrometheusText& text) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    SyncHandler sync;
    AsyncHandler async;
    bool needs_key = false;
    Access access = Access::kManage;
    std::unique_ptr<RouteMetrics> metrics = std::make_unique<RouteMetrics>();
  };

  void add_route(std::string method, std::string pattern, SyncHandler sync, AsyncHandler async,
                 Access access);

  // The answer when no route takes the request: the web UI, a 405 or a 404.
  ApiResponse unrouted(ApiRequest& request, bool path_known) const;

  Authenticate authenticate_;
  RateLimit rate_limit_;
  std::vector<Route> routes_;
  SyncHandler fallback_;
  std::unique_ptr<RouteMetrics> unrouted_metrics_ = std::make_unique<RouteMetrics>();
};

}  // namespace hookline::api
