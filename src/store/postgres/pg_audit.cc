// The audit log: changes made through the API, on the pool.
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace hookline::store::postgres {

Result<void> PgStore::append_audit(const AuditEntry& entry) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto inserted = db.query(
        "INSERT INTO audit_log (id, workspace_id, time, key_id, key_name, action, resource_type, "
        "resource_id, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {entry.id, entry.workspace_id, entry.time, entry.key_id, entry.key_name, entry.action,
         entry.resource_type, entry.resource_id, entry.changes});
    if (!inserted) return std::unexpected(inserted.error());
    return {};
  });
}

Result<Page<AuditEntry>> PgStore::list_audit(const std::string& workspace_id,
                                             const AuditFilter& filter, const PageRequest& page) {
  return with_connection<Page<AuditEntry>>([&](PgConnection& db) -> Result<Page<AuditEntry>> {
    // An empty filter field matches every row; the workspace index orders the walk.
    auto found = db.query(
        "SELECT " + std::string(kAuditColumns) +
            " FROM audit_log WHERE workspace_id = $1 AND ($2 = '' OR id < $2) AND "
            "($3 = '' OR action = $3) AND ($4 = '' OR resource_type = $4) AND "
            "($5 = '' OR resource_id = $5) AND ($6 = '' OR key_id = $6) ORDER BY id DESC LIMIT $7",
        {workspace_id, page.cursor, filter.action, filter.resource_type, filter.resource_id,
         filter.key_id, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<AuditEntry>(*found, page.limit, read_audit_entry);
  });
}

}  // namespace hookline::store::postgres
