// The web UI: the files Vite built, served from --web-root for every GET that no API route matched.
// Hashed files under /assets/ are cached for a year; index.html is revalidated each time; a path
// without an extension is a page of the single-page app and gets index.html.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string_view>

#include "api/handlers/routes.h"
#include "api/responses.h"

namespace hookline::api {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
// The UI only talks to its own origin; React Flow sets inline styles.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

std::string_view content_type_for(std::string_view extension) {
  static const std::map<std::string_view, std::string_view> types{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string lower(extension);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto found = types.find(lower);
  return found == types.end() ? std::string_view("application/octet-stream") : found->second;
}

// A file as last read, kept while its size and modification time stay the same (a rebuild of
// the UI under a running server is picked up).
struct CachedFile {
  fs::file_time_type modified;
  std::uintmax_t size = 0;
  std::shared_ptr<const std::string> content;
};

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& web_root) {
    std::error_code ec;
    root_ = fs::weakly_canonical(fs::absolute(web_root, ec), ec);
    if (ec) root_ = fs::path(web_root).lexically_normal();
    if (root_.has_parent_path() && root_.filename().empty()) root_ = root_.parent_path();
  }

  ApiResponse serve(const ApiRequest& request) {
    const std::string& path = request.path;
    // Segments are checked before anything touches the disk: no "..", no NUL, no backslashes.
    std::vector<std::string_view> segments;
    size_t start = 0;
    while (start <= path.size()) {
      const size_t end = std::min(path.find('/', start), path.size());
      std::string_view segment(path.data() + start, end - start);
      if (segment == ".." || segment.find('\\') != std::string_view::npos ||
          segment.find('\0') != std::string_view::npos) {
        return error_response(Error::not_found("no file " + path));
      }
      if (!segment.empty() && segment != ".") segments.push_back(segment);
      start = end + 1;
    }

    const bool has_extension = !segments.empty() &&
                               segments.back().find('.') != std::string_view::npos &&
                               segments.back().front() != '.';
    if (!has_extension) return index_page();

    fs::path relative;
    for (auto segment : segments) {
      if (segment.front() == '.') return error_response(Error::not_found("no file " + path));
      relative /= std::string(segment);
    }
    auto file = read(relative);
    if (!file) return error_response(Error::not_found("no file " + path));
    const bool hashed_asset = segments.size() > 1 && segments.front() == "assets";
    return file_response(*file, content_type_for(relative.extension().string()),
                         hashed_asset ? kImmutable : kNoCache);
  }

 private:
  ApiResponse index_page() {
    auto file = read("index.html");
    if (!file) {
      return error_response(Error::not_found("the web UI is not built: no index.html in " +
                                             root_.string() + " (see --web-root)"));
    }
    return file_response(*file, content_type_for(".html"), kNoCache);
  }

  static ApiResponse file_response(const std::string& content, std::string_view type,
                                   std::string_view cache) {
    ApiResponse response;
    response.status = 200;
    response.content_type = std::string(type);
    response.body = content;
    response.headers.emplace_back("Cache-Control", std::string(cache));
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (type.starts_with("text/html")) {
      response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
      response.headers.emplace_back("X-Frame-Options", "DENY");
      response.headers.emplace_back("Referrer-Policy", "same-origin");
    }
    return response;
  }

  // The file's content, or nullptr when it is missing, not a regular file, or outside the root.
  std::shared_ptr<const std::string> read(const fs::path& relative) {
    std::error_code ec;
    const fs::path full = fs::weakly_canonical(root_ / relative, ec);
    if (ec) return nullptr;
    // Resolved (symlinks included) within the root, or refused.
    if (std::mismatch(root_.begin(), root_.end(), full.begin(), full.end()).first != root_.end()) {
      return nullptr;
    }
    if (!fs::is_regular_file(full, ec) || ec) return nullptr;
    const auto size = fs::file_size(full, ec);
    if (ec) return nullptr;
    const auto modified = fs::last_write_time(full, ec);
    if (ec) return nullptr;

    const std::string key = full.string();
    {
      std::lock_guard lock(mutex_);
      auto cached = cache_.find(key);
      if (cached != cache_.end() && cached->second.size == size &&
          cached->second.modified == modified) {
        return cached->second.content;
      }
    }
    std::ifstream in(full, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto content = std::make_shared<const std::string>(std::move(buffer).str());
    std::lock_guard lock(mutex_);
    cache_[key] = {modified, size, content};
    return content;
  }

  fs::path root_;
  std::mutex mutex_;
  std::map<std::string, CachedFile> cache_;
};

}  // namespace

void add_static_files(Router& router, const std::string& web_root) {
  auto files = std::make_shared<StaticFiles>(web_root);
  router.set_fallback([files](ApiRequest& request) { return files->serve(request); });
}

}  // namespace hookline::api
