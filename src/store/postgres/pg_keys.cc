// Workspaces and the API keys that open them, on the pool.
#include "core/ids.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace hookline::store::postgres {

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

Result<void> PgStore::insert_workspace(const Workspace& workspace) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto inserted = db.query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)",
                             {workspace.id, workspace.name, workspace.created_at});
    if (!inserted) return std::unexpected(inserted.error());
    return {};
  });
}

Result<Workspace> PgStore::get_workspace(const std::string& id) {
  return with_connection<Workspace>([&](PgConnection& db) -> Result<Workspace> {
    auto found = db.query("SELECT id, name, created_at FROM workspaces WHERE id = $1", {id});
    if (!found) return std::unexpected(found.error());
    auto workspace = read_one<Workspace>(*found, read_workspace);
    if (!workspace) return std::unexpected(Error::not_found("no workspace with id " + id));
    return std::move(*workspace);
  });
}

Result<Page<Workspace>> PgStore::list_workspaces(const PageRequest& page) {
  return with_connection<Page<Workspace>>([&](PgConnection& db) -> Result<Page<Workspace>> {
    auto found =
        db.query("SELECT id, name, created_at FROM workspaces WHERE id > $1 ORDER BY id LIMIT $2",
                 {page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<Workspace>(*found, page.limit, read_workspace);
  });
}

Result<void> PgStore::add_api_key(const ApiKey& key, const std::string& key_hash) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto inserted = db.query(
        "INSERT INTO api_keys (key_hash, id, workspace_id, name, scope, instance, prefix, "
        "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (key_hash) DO NOTHING",
        {key_hash, key.id, key.workspace_id, key.name, key_scope_name(key.scope), key.instance,
         key.prefix, key.created_at, key.expires_at});
    if (!inserted) return std::unexpected(inserted.error());
    return {};
  });
}

Result<std::optional<ApiKey>> PgStore::find_api_key(const std::string& key_hash) {
  using Found = std::optional<ApiKey>;
  return with_connection<Found>([&](PgConnection& db) -> Result<Found> {
    auto found = db.query(
        "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys WHERE key_hash = $1", {key_hash});
    if (!found) return std::unexpected(found.error());
    return read_one<ApiKey>(*found, read_api_key);
  });
}

Result<Page<ApiKey>> PgStore::list_api_keys(const std::string& workspace_id,
                                            const PageRequest& page) {
  return with_connection<Page<ApiKey>>([&](PgConnection& db) -> Result<Page<ApiKey>> {
    auto found = db.query("SELECT " + std::string(kApiKeyColumns) + " FROM api_keys " +
                              "WHERE workspace_id = $1 AND id > $2 AND revoked_at IS NULL "
                              "ORDER BY id LIMIT $3",
                          {workspace_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<ApiKey>(*found, page.limit, read_api_key);
  });
}

Result<RevokedKey> PgStore::revoke_api_key(const std::string& workspace_id, const std::string& id,
                                           bool instance_too, int64_t now_ms) {
  return with_connection<RevokedKey>([&](PgConnection& db) -> Result<RevokedKey> {
    auto revoked = db.query(
        "UPDATE api_keys SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND "
        "revoked_at IS NULL AND (NOT instance OR $4) RETURNING key_hash, name",
        {now_ms, workspace_id, id, instance_too});
    if (!revoked) return std::unexpected(revoked.error());
    if (revoked->rows() == 0) return std::unexpected(Error::not_found("no API key with id " + id));
    return RevokedKey{revoked->text(0, 0), revoked->text(0, 1)};
  });
}

Result<void> PgStore::record_api_key_use(const std::string& id, int64_t now_ms) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto touched = db.query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2", {now_ms, id});
    if (!touched) return std::unexpected(touched.error());
    return {};
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
