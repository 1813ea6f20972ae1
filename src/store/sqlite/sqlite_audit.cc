// The audit log: changes made through the API.
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

Result<void> SqliteStore::append_audit(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  Statement insert(connection_.handle(),
                   "INSERT INTO audit_log (id, workspace_id, time, key_id, key_name, action, "
                   "resource_type, resource_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, entry.id)
      .bind(2, entry.workspace_id)
      .bind(3, entry.time)
      .bind(4, entry.key_id)
      .bind(5, entry.key_name)
      .bind(6, entry.action)
      .bind(7, entry.resource_type)
      .bind(8, entry.resource_id)
      .bind(9, entry.changes);
  return insert.run();
}

Result<Page<AuditEntry>> SqliteStore::list_audit(const std::string& workspace_id,
                                                 const AuditFilter& filter,
                                                 const PageRequest& page) {
  std::lock_guard lock(mutex_);
  // An empty filter field matches every row; the workspace index orders the walk.
  Statement query(
      connection_.handle(),
      "SELECT " + std::string(kAuditColumns) +
          " FROM audit_log WHERE workspace_id = ?1 AND (?2 = '' OR "
          "id < ?2) AND (?3 = '' OR action = ?3) AND (?4 = '' OR resource_type = ?4) AND "
          "(?5 = '' OR resource_id = ?5) AND (?6 = '' OR key_id = ?6) ORDER BY id DESC "
          "LIMIT ?7");
  query.bind(1, workspace_id)
      .bind(2, page.cursor)
      .bind(3, filter.action)
      .bind(4, filter.resource_type)
      .bind(5, filter.resource_id)
      .bind(6, filter.key_id)
      .bind(7, int64_t{page.limit + 1});
  return read_page<AuditEntry>(query, page.limit, read_audit_entry);
}

}  // namespace hookline::store::sqlite
