// Workspaces and the API keys that open them.
#include "core/ids.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

Result<std::string> SqliteStore::default_workspace_id(int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT id FROM workspaces ORDER BY created_at, id LIMIT 1");
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (*row) return query.text(0);
  std::string id = new_uuid_v7(now_ms);
  Statement insert(connection_.handle(),
                   "INSERT INTO workspaces (id, name, created_at) VALUES (?, 'Default', ?)");
  insert.bind(1, id).bind(2, now_ms);
  if (auto r = insert.run(); !r) return std::unexpected(r.error());
  return id;
}

Result<void> SqliteStore::insert_workspace(const Workspace& workspace) {
  std::lock_guard lock(mutex_);
  Statement insert(connection_.handle(),
                   "INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)");
  insert.bind(1, workspace.id).bind(2, workspace.name).bind(3, workspace.created_at);
  return insert.run();
}

Result<Workspace> SqliteStore::get_workspace(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), "SELECT id, name, created_at FROM workspaces WHERE id = ?");
  query.bind(1, id);
  auto found = read_one<Workspace>(query, read_workspace);
  if (!found) return std::unexpected(found.error());
  if (!found->has_value()) return std::unexpected(Error::not_found("no workspace with id " + id));
  return std::move(**found);
}

Result<Page<Workspace>> SqliteStore::list_workspaces(const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT id, name, created_at FROM workspaces WHERE id > ? ORDER BY id LIMIT ?");
  query.bind(1, page.cursor).bind(2, int64_t{page.limit + 1});
  return read_page<Workspace>(query, page.limit, read_workspace);
}

Result<void> SqliteStore::add_api_key(const ApiKey& key, const std::string& key_hash) {
  std::lock_guard lock(mutex_);
  Statement insert(connection_.handle(),
                   "INSERT INTO api_keys (key_hash, id, workspace_id, name, scope, instance, "
                   "prefix, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (key_hash) DO NOTHING");
  insert.bind(1, key_hash)
      .bind(2, key.id)
      .bind(3, key.workspace_id)
      .bind(4, key.name)
      .bind(5, key_scope_name(key.scope))
      .bind(6, int64_t{key.instance ? 1 : 0})
      .bind(7, key.prefix)
      .bind(8, key.created_at);
  if (key.expires_at) {
    insert.bind(9, *key.expires_at);
  } else {
    insert.bind_null(9);
  }
  return insert.run();
}

Result<std::optional<ApiKey>> SqliteStore::find_api_key(const std::string& key_hash) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys WHERE key_hash = ?");
  query.bind(1, key_hash);
  return read_one<ApiKey>(query, read_api_key);
}

Result<Page<ApiKey>> SqliteStore::list_api_keys(const std::string& workspace_id,
                                                const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys " +
                      "WHERE workspace_id = ? AND id > ? AND revoked_at IS NULL ORDER BY id "
                      "LIMIT ?");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  return read_page<ApiKey>(query, page.limit, read_api_key);
}

Result<RevokedKey> SqliteStore::revoke_api_key(const std::string& workspace_id,
                                               const std::string& id, bool instance_too,
                                               int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement revoke(connection_.handle(),
                   "UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND "
                   "revoked_at IS NULL AND (instance = 0 OR ?) RETURNING key_hash, name");
  revoke.bind(1, now_ms).bind(2, workspace_id).bind(3, id).bind(4, int64_t{instance_too ? 1 : 0});
  auto row = revoke.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no API key with id " + id));
  RevokedKey revoked{revoke.text(0), revoke.text(1)};
  if (auto done = revoke.step(); !done) return std::unexpected(done.error());
  return revoked;
}

Result<void> SqliteStore::record_api_key_use(const std::string& id, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement touch(connection_.handle(), "UPDATE api_keys SET last_used_at = ? WHERE id = ?");
  touch.bind(1, now_ms).bind(2, id);
  return touch.run();
}

Result<int64_t> SqliteStore::count_api_keys() {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), "SELECT COUNT(*) FROM api_keys");
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  return query.integer(0);
}

}  // namespace hookline::store::sqlite
