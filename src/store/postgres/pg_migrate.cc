#include "store/postgres/pg_migrate.h"

#include <set>
#include <string>

namespace hookline::store::postgres {

namespace {

// The advisory lock migrations run under: "hookline" in ASCII, so no other application's key
// is likely to be the same. Advisory locks belong to one database, so two Hookline databases on
// one server never wait for each other.
constexpr int64_t kMigrationLock = 0x686f6f6b6c696e65;

Error failed(const Migration& migration, Error error) {
  error.message = "migration " + std::string(migration.name) + " failed: " + error.message;
  return error;
}

}  // namespace

Result<std::vector<int>> migrate(PgConnection& connection) {
  PgTransaction transaction(connection);
  if (auto r = transaction.begin(); !r) return std::unexpected(r.error());
  // The lock comes first, even before the table is made: two concurrent CREATE TABLE IF NOT
  // EXISTS can both find it missing, and one then fails.
  if (auto r = connection.exec("SET LOCAL lock_timeout = '60s'"); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = connection.query("SELECT pg_advisory_xact_lock($1)", {kMigrationLock}); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = connection.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text "
          "NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      !r) {
    return std::unexpected(r.error());
  }
  auto recorded = connection.query("SELECT version FROM schema_migrations");
  if (!recorded) return std::unexpected(recorded.error());
  std::set<int64_t> done;
  for (int row = 0; row < recorded->rows(); ++row) done.insert(recorded->integer(row, 0));

  std::vector<int> applied;
  for (const Migration& migration : migrations()) {
    if (done.contains(migration.version)) continue;
    if (auto r = connection.exec(migration.sql); !r) {
      return std::unexpected(failed(migration, r.error()));
    }
    if (auto r = connection.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                  {migration.version, migration.name});
        !r) {
      return std::unexpected(failed(migration, r.error()));
    }
    applied.push_back(migration.version);
  }
  if (auto r = transaction.commit(); !r) return std::unexpected(r.error());
  return applied;
}

}  // namespace hookline::store::postgres
