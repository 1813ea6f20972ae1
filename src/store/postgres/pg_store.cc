#include "store/postgres/pg_store.h"

#include "core/ids.h"
#include "store/postgres/pg_cluster_watch.h"
#include "store/postgres/pg_migrate.h"

namespace hookline::store::postgres {

namespace {

// Enough for the server's threads' reads beside one another; each connection is a process on the
// PostgreSQL server, and several nodes share its max_connections (100 by default).
constexpr size_t kPoolSize = 8;

}  // namespace

PgStore::PgStore(const std::string& uri, std::shared_ptr<const SecretBox> secrets,
                 const std::string& database)
    : uri_(uri),
      database_(database),
      secrets_(std::move(secrets)),
      pool_(uri, database, kPoolSize),
      writer_(std::make_unique<PgWriter>(uri, database, *secrets_)) {}

PgStore::~PgStore() { writer_->stop(); }

void PgStore::write(WriteJob job, WriteDone done, Durability durability) {
  writer_->submit(std::move(job), std::move(done), durability);
}

void PgStore::stop_writer() { writer_->stop(); }

std::unique_ptr<ClusterWatch> PgStore::watch_cluster(ClusterListener listener) {
  return std::make_unique<PgClusterWatch>(uri_, database_, std::move(listener));
}

Result<std::vector<int>> PgStore::migrate() {
  return with_connection<std::vector<int>>([](PgConnection& db) { return postgres::migrate(db); });
}

Result<StorageStats> PgStore::storage_stats() {
  return with_connection<StorageStats>([](PgConnection& db) -> Result<StorageStats> {
    // Only the database's own size: the WAL is the server's, shared by every database on it,
    // and the space retention frees is reused by PostgreSQL's vacuum, inside the same files.
    auto sizes = db.query("SELECT pg_database_size(current_database())");
    if (!sizes) return std::unexpected(sizes.error());
    StorageStats stats;
    stats.database_bytes = sizes->integer(0, 0);
    return stats;
  });
}

Result<int> PgStore::heartbeat(const std::string& node_id, int64_t now_ms) {
  return with_connection<int>([&](PgConnection& db) -> Result<int> {
    // The statement's own insert is not visible to its SELECT: the others, plus this node.
    auto counted = db.query(
        "WITH seen AS (INSERT INTO nodes (id, seen_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE "
        "SET seen_at = excluded.seen_at) "
        "SELECT count(*) + 1 FROM nodes WHERE id <> $1 AND seen_at > $3",
        {node_id, now_ms, now_ms - kNodeAliveMs});
    if (!counted) return std::unexpected(counted.error());
    return static_cast<int>(counted->integer(0, 0));
  });
}

}  // namespace hookline::store::postgres
