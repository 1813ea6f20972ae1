#include "app/open_store.h"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <filesystem>
#include <stdexcept>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::app {

namespace {

constexpr std::string_view kSqlite = "sqlite://";

bool is_postgres(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::unique_ptr<store::Store> connect(const std::string& url) {
  if (url.starts_with(kSqlite)) {
    const std::filesystem::path path = url.substr(kSqlite.size());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    return std::make_unique<store::sqlite::SqliteStore>(path.string());
  }
  if (is_postgres(url)) return std::make_unique<store::postgres::PgStore>(url);
  throw std::runtime_error("unsupported --store " + store_for_display(url) +
                           ": use sqlite://PATH or postgresql://USER@HOST/DATABASE");
}

}  // namespace

std::unique_ptr<store::Store> open_store(const std::string& url) {
  auto store = connect(url);
  auto applied = store->migrate();
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().message);
  for (int version : *applied) spdlog::get("app")->info("applied schema migration {}", version);
  return store;
}

std::string store_for_display(const std::string& url) {
  if (!is_postgres(url)) return url;
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return "postgresql://(a URI that does not parse)";
  boost::urls::url shown = *parsed;
  if (shown.has_password()) shown.set_password("***");
  // Query parameters may carry a password too (?password=...): drop them from what is shown.
  shown.remove_query();
  return std::string(shown.buffer());
}

}  // namespace hookline::app
