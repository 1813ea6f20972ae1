#include "api/router.h"

#include <algorithm>
#include <string_view>

#include "api/error_response.h"
#include "core/utf8.h"

namespace hookline::api {
namespace {

// Patterns are written by hand, with plain slashes: splitting them is all they need.
std::vector<std::string> split_pattern(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    const size_t end = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, end - start));
    start = end;
  }
  return segments;
}

// A GET route answers HEAD too; the server leaves the body out of the answer.
bool serves(std::string_view route_method, std::string_view request_method) {
  return route_method == request_method || (request_method == "HEAD" && route_method == "GET");
}

bool params_are_utf8(const std::map<std::string, std::string>& params) {
  return std::ranges::all_of(params, [](const auto& param) { return is_valid_utf8(param.second); });
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Fills params and returns true when the path fits the pattern.
bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

ApiResponse too_many_requests(int64_t wait_ms) {
  ApiResponse response = error_response(
      {ErrorCode::kRateLimited, "too many requests with this API key; try again shortly", {}});
  // Whole seconds, rounded up: a client that waits that long gets in.
  response.headers.emplace_back("Retry-After",
                                std::to_string(std::max<int64_t>(1, (wait_ms + 999) / 1000)));
  return response;
}

}  // namespace

void Router::add(std::string method, std::string pattern, SyncHandler handler, Access access) {
  add_route(std::move(method), std::move(pattern), std::move(handler), {}, access);
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler,
                       Access access) {
  add_route(std::move(method), std::move(pattern), {}, std::move(handler), access);
}

void Router::add_route(std::string method, std::string pattern, SyncHandler sync,
                       AsyncHandler async, Access access) {
  auto segments = split_pattern(pattern);
  const bool needs_key = !segments.empty() && segments.front() == "v1";
  routes_.push_back({.method = std::move(method),
                     .pattern = std::move(pattern),
                     .segments = std::move(segments),
                     .sync = std::move(sync),
                     .async = std::move(async),
                     .needs_key = needs_key,
                     .access = access});
}

void Router::dispatch(ApiRequest request, Respond answer) const {
  const auto started = std::chrono::steady_clock::now();
  bool path_known = false;
  const Route* found = nullptr;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route.segments, request.segments, params)) continue;
    path_known = true;
    if (!serves(route.method, request.method)) continue;
    request.params = std::move(params);
    found = &route;
    break;
  }
  RouteMetrics* metrics = found != nullptr ? found->metrics.get() : unrouted_metrics_.get();
  Respond respond = [answer = std::move(answer), metrics, started](ApiResponse response) {
    metrics->observe(response.status, std::chrono::steady_clock::now() - started);
    answer(std::move(response));
  };
  if (found == nullptr) return respond(unrouted(request, path_known));
  if (found->needs_key) {
    auto caller = authenticate_(request.authorization);
    if (!caller) return respond(error_response(caller.error()));
    if (auto allowed = check_access(*caller, found->access, request.method); !allowed) {
      return respond(error_response(allowed.error()));
    }
    request.workspace_id = caller->workspace_id;
    request.caller = std::move(*caller);
  }
  if (found->needs_key && rate_limited(found->access) && rate_limit_) {
    if (const std::optional<int64_t> wait_ms = rate_limit_(request.authorization)) {
      return respond(too_many_requests(*wait_ms));
    }
  }
  // No stored id is invalid UTF-8 (ids are made here or come in JSON, which is checked), and
  // PostgreSQL would refuse such text with an error: the answer is the one it would be anyway.
  if (!params_are_utf8(request.params)) {
    return respond(error_response(Error::not_found("no resource at " + request.path)));
  }
  if (found->sync) return respond(found->sync(request));
  found->async(request, std::move(respond));
}

void Router::write_prometheus(PrometheusText& text) const {
  text.family("hookline_http_requests_total", "counter",
              "API requests this node answered, by method, route pattern and status class.");
  for (const Route& route : routes_) route.metrics->write_counts(text, route.method, route.pattern);
  unrouted_metrics_->write_counts(text, "any", "other");
  text.family("hookline_http_request_duration_seconds", "histogram",
              "How long this node took to answer API requests, by method and route pattern.");
  for (const Route& route : routes_) {
    if (route.metrics->requests() > 0) {
      route.metrics->write_durations(text, route.method, route.pattern);
    }
  }
  if (unrouted_metrics_->requests() > 0) unrouted_metrics_->write_durations(text, "any", "other");
}

ApiResponse Router::unrouted(ApiRequest& request, bool path_known) const {
  const bool under_v1 = !request.segments.empty() && request.segments.front() == "v1";
  if (fallback_ && !under_v1 && serves("GET", request.method)) return fallback_(request);
  // An unknown route under /v1 is answered only to a caller with a key: no probing for routes.
  if (under_v1) {
    if (auto caller = authenticate_(request.authorization); !caller) {
      return error_response(caller.error());
    }
  }
  if (path_known) {
    return error_response(
        {ErrorCode::kMethodNotAllowed, request.method + " is not allowed on " + request.path, {}});
  }
  return error_response(Error::not_found("no route " + request.method + " " + request.path));
}

}  // namespace hookline::api
