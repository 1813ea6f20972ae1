#include "app/open_store.h"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <filesystem>
#include <stdexcept>

#include "app/secrets_key.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::app {

namespace {

constexpr std::string_view kSqlite = "sqlite://";

bool is_postgres(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

[[noreturn]] void unsupported(const std::string& url) {
  throw std::runtime_error("unsupported --store " + store_for_display(url) +
                           ": use sqlite://PATH or postgresql://USER@HOST/DATABASE");
}

std::unique_ptr<store::Store> connect(const std::string& url,
                                      std::shared_ptr<const SecretBox> secrets) {
  if (url.starts_with(kSqlite)) {
    const std::filesystem::path path = url.substr(kSqlite.size());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    return std::make_unique<store::sqlite::SqliteStore>(path.string(), std::move(secrets));
  }
  if (is_postgres(url)) return std::make_unique<store::postgres::PgStore>(url, std::move(secrets));
  unsupported(url);
}

}  // namespace

std::optional<std::filesystem::path> default_key_file(const std::string& url) {
  if (!url.starts_with(kSqlite)) return std::nullopt;
  const std::filesystem::path database = url.substr(kSqlite.size());
  return database.parent_path() / "secrets.key";
}

std::unique_ptr<store::Store> open_store(const std::string& url,
                                         std::shared_ptr<const SecretBox> secrets) {
  auto store = connect(url, std::move(secrets));
  auto applied = store->migrate();
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().message);
  for (int version : *applied) spdlog::get("app")->info("applied schema migration {}", version);
  return store;
}

std::unique_ptr<store::Store> open_store(const Settings& settings) {
  const std::string url = settings.resolved_store_url();
  if (!url.starts_with(kSqlite) && !is_postgres(url)) unsupported(url);
  // The database's directory first: the default key file goes there, and a directory that cannot
  // be made is named as the store's problem.
  if (url.starts_with(kSqlite)) {
    const std::filesystem::path path = url.substr(kSqlite.size());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  }
  auto key = find_secrets_key(settings, default_key_file(url), /*create=*/true);
  if (!key) {
    throw std::runtime_error(
        "a PostgreSQL store needs the key that seals webhook secrets, the same on every node "
        "sharing it: give --secrets-key-file FILE (or HOOKLINE_SECRETS_KEY_FILE, or "
        "HOOKLINE_SECRETS_KEY with the key itself). Make one with: openssl rand -base64 32 > FILE "
        "&& chmod 600 FILE");
  }
  auto box = SecretBox::make(std::move(key->bytes));
  if (!box) throw std::runtime_error("the secrets key: " + box.error().message);
  const std::string key_id = box->current_key_id();
  auto log = spdlog::get("app");
  if (!key->created.empty()) {
    log->warn("made a new secrets key (id {}) in {}: back it up apart from the database", key_id,
              key->created.string());
  }
  auto store = open_store(url, std::make_shared<const SecretBox>(std::move(*box)));
  auto sealed = store->seal_secrets(store::SealMode::kAtStart);
  if (!sealed) {
    std::string message = sealed.error().message + " (the key given: " + key->source + ")";
    if (!key->created.empty()) {
      // Nothing was sealed with it: the pass changes nothing when a value does not open.
      std::filesystem::remove(key->created);
      message += "; " + key->created.string() +
                 " was made on this start because none was there, and is removed again: put "
                 "the key file the secrets were sealed with there";
    }
    throw std::runtime_error(message);
  }
  if (sealed->plaintext > 0) {
    log->info("sealed {} webhook secrets stored in plaintext, of {} webhooks, with key {}",
              sealed->plaintext, sealed->webhooks, key_id);
  }
  log->info("secrets key {} ({}) opens the secrets of all {} webhooks", key_id, key->source,
            sealed->webhooks);
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
