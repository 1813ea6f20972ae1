#include "api/router.h"

#include "api/error_response.h"

namespace hookline::api {
namespace {

std::vector<std::string> split_path(std::string_view path) {
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

}  // namespace

void Router::add(std::string method, std::string pattern, SyncHandler handler) {
  auto segments = split_path(pattern);
  const bool needs_key = !segments.empty() && segments.front() == "v1";
  routes_.push_back({std::move(method), std::move(segments), std::move(handler), {}, needs_key});
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler) {
  auto segments = split_path(pattern);
  const bool needs_key = !segments.empty() && segments.front() == "v1";
  routes_.push_back({std::move(method), std::move(segments), {}, std::move(handler), needs_key});
}

void Router::dispatch(ApiRequest request, Respond respond) const {
  const auto path = split_path(request.path);
  const Route* found = nullptr;
  bool path_known = false;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route.segments, path, params)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    request.params = std::move(params);
    found = &route;
    break;
  }
  const bool under_v1 = !path.empty() && path.front() == "v1";
  if (found == nullptr) {
    if (fallback_ && !under_v1 && request.method == "GET") return respond(fallback_(request));
    // An unknown route under /v1 is answered only to a caller with a key: no probing for routes.
    if (under_v1) {
      if (auto workspace = authenticate_(request.authorization); !workspace) {
        return respond(error_response(workspace.error()));
      }
    }
    if (path_known) {
      return respond(error_response({ErrorCode::kMethodNotAllowed,
                                     request.method + " is not allowed on " + request.path,
                                     {}}));
    }
    return respond(
        error_response(Error::not_found("no route " + request.method + " " + request.path)));
  }
  if (found->needs_key) {
    auto workspace = authenticate_(request.authorization);
    if (!workspace) return respond(error_response(workspace.error()));
    request.workspace_id = std::move(*workspace);
  }
  if (found->sync) return respond(found->sync(request));
  found->async(request, std::move(respond));
}

}  // namespace hookline::api
