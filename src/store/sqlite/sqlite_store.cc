#include "store/sqlite/sqlite_store.h"

#include <filesystem>

#include "core/ids.h"
#include "store/migrations.h"

namespace hookline::store::sqlite {

SqliteStore::SqliteStore(const std::string& path, std::shared_ptr<const SecretBox> secrets)
    : path_(path),
      secrets_(std::move(secrets)),
      connection_(path),
      writer_(std::make_unique<SqliteWriter>(path, *secrets_)) {}

SqliteStore::~SqliteStore() { writer_->stop(); }

void SqliteStore::write(WriteJob job, WriteDone done, Durability durability) {
  writer_->submit(std::move(job), std::move(done), durability);
}

void SqliteStore::stop_writer() { writer_->stop(); }

Result<StorageStats> SqliteStore::storage_stats() {
  StorageStats stats;
  {
    std::lock_guard lock(mutex_);
    Statement pages(connection_.handle(),
                    "SELECT page_count * page_size, freelist_count * page_size FROM "
                    "pragma_page_count(), pragma_freelist_count(), pragma_page_size()");
    auto row = pages.step();
    if (!row) return std::unexpected(row.error());
    stats.database_bytes = pages.integer(0);
    stats.free_bytes = pages.integer(1);
  }
  std::error_code ec;  // no WAL file (nothing written since the last one closed) is 0 bytes
  const auto wal = std::filesystem::file_size(path_ + "-wal", ec);
  stats.wal_bytes = ec ? 0 : static_cast<int64_t>(wal);
  return stats;
}

Result<std::vector<int>> SqliteStore::migrate() {
  std::lock_guard lock(mutex_);
  if (auto made = connection_.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
          "NOT NULL, applied_at INTEGER NOT NULL DEFAULT (unixepoch()))");
      !made) {
    return std::unexpected(made.error());
  }
  int current = 0;
  {
    Statement query(connection_.handle(),
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    current = static_cast<int>(query.integer(0));
  }
  std::vector<int> applied;
  for (const Migration& migration : migrations()) {
    if (migration.version <= current) continue;
    // Each migration and its record commit together: a crash leaves the schema at a known version.
    Transaction tx(connection_);
    if (auto r = tx.begin(); !r) return std::unexpected(r.error());
    if (auto r = connection_.exec(migration.sql); !r) {
      return std::unexpected(Error::unavailable("migration " + std::string(migration.name) +
                                                " failed: " + r.error().message));
    }
    Statement record(connection_.handle(),
                     "INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
    record.bind(1, int64_t{migration.version}).bind(2, migration.name);
    if (auto r = record.run(); !r) return std::unexpected(r.error());
    if (auto r = tx.commit(); !r) return std::unexpected(r.error());
    applied.push_back(migration.version);
  }
  return applied;
}

}  // namespace hookline::store::sqlite
