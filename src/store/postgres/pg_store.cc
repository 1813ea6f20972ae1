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

PgStore::PgStore(const std::string& uri, const std::string& database)
    : uri_(uri),
      database_(database),
      pool_(uri, database, kPoolSize),
      writer_(std::make_unique<PgWriter>(uri, database)) {}

PgStore::~PgStore() { writer_->stop(); }

void PgStore::write(WriteJob job, WriteDone done) {
  writer_->submit(std::move(job), std::move(done));
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

Result<std::string> PgStore::default_workspace_id(int64_t now_ms) {
  return with_connection<std::string>([now_ms](PgConnection& db) -> Result<std::string> {
    // Nodes starting together may each find none: the first insert wins, and every node then
    // reads the same oldest workspace.
    auto insert = db.query(
        "INSERT INTO workspaces (id, name, created_at) SELECT $1, 'Default', $2 "
        "WHERE NOT EXISTS (SELECT 1 FROM workspaces)",
        {new_uuid_v7(now_ms), now_ms});
    if (!insert) return std::unexpected(insert.error());
    auto oldest = db.query("SELECT id FROM workspaces ORDER BY created_at, id LIMIT 1");
    if (!oldest) return std::unexpected(oldest.error());
    if (oldest->rows() == 0) return std::unexpected(Error::unavailable("no workspace was made"));
    return oldest->text(0, 0);
  });
}

Result<void> PgStore::add_api_key(const std::string& workspace_id, const std::string& name,
                                  const std::string& key_hash, int64_t now_ms) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    // A key given again (--api-key on every start, by every node) is already there: keep it.
    auto inserted = db.query(
        "INSERT INTO api_keys (key_hash, workspace_id, name, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (key_hash) DO NOTHING",
        {key_hash, workspace_id, name, now_ms});
    if (!inserted) return std::unexpected(inserted.error());
    return {};
  });
}

Result<std::optional<std::string>> PgStore::workspace_for_key(const std::string& key_hash) {
  using Found = std::optional<std::string>;
  return with_connection<Found>([&](PgConnection& db) -> Result<Found> {
    auto found = db.query("SELECT workspace_id FROM api_keys WHERE key_hash = $1", {key_hash});
    if (!found) return std::unexpected(found.error());
    if (found->rows() == 0) return Found();
    return Found(found->text(0, 0));
  });
}

Result<int64_t> PgStore::count_api_keys() {
  return with_connection<int64_t>([](PgConnection& db) -> Result<int64_t> {
    auto count = db.query("SELECT COUNT(*) FROM api_keys");
    if (!count) return std::unexpected(count.error());
    return count->integer(0, 0);
  });
}

}  // namespace hookline::store::postgres
