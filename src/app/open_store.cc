#include "app/open_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>

#include "store/sqlite/sqlite_store.h"

namespace hookline::app {

std::unique_ptr<store::Store> open_store(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (!url.starts_with(kSqlite)) {
    throw std::runtime_error("unsupported --store " + url + " (this build supports sqlite://PATH)");
  }
  const std::filesystem::path path = url.substr(kSqlite.size());
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  auto store = std::make_unique<store::sqlite::SqliteStore>(path.string());
  auto applied = store->migrate();
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().message);
  for (int version : *applied) spdlog::get("app")->info("applied schema migration {}", version);
  return store;
}

}  // namespace hookline::app
