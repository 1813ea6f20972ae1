// The event catalog on SQLite: news written by the writer with its batch, read by the API.
#include "store/event_catalog.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {

Result<void> SqliteWriteTxn::write_catalog_news() {
  if (const std::string rows = catalog_news_.type_rows(); !rows.empty()) {
    Statement& upsert = prepare(event_types_upsert_sql("json_each($1) AS r"));
    upsert.bind(1, rows);
    if (auto r = upsert.run(); !r) return r;
  }
  if (const std::string rows = catalog_news_.key_rows(); !rows.empty()) {
    Statement& insert = prepare(catalog_keys_insert_sql("json_each($1) AS r"));
    insert.bind(1, rows);
    if (auto r = insert.run(); !r) return r;
  }
  return {};
}

Result<std::vector<EventTypeInfo>> SqliteStore::event_types(const std::string& workspace_id) {
  std::lock_guard lock(mutex_);
  std::vector<EventTypeInfo> types;
  Statement names(connection_.handle(), kEventTypesSql);
  names.bind(1, workspace_id);
  while (true) {
    auto row = names.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    EventTypeInfo& type = types.emplace_back();
    type.name = names.text(0);
    type.first_seen_at = names.integer(1);
    type.last_seen_at = names.integer(2);
    if (!names.is_null(3)) type.example = names.text(3);
  }
  Statement keys(connection_.handle(), kEventKeysSql);
  keys.bind(1, workspace_id);
  while (true) {
    auto row = keys.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    add_event_key(types, keys.text(0), keys.text(1));
  }
  return types;
}

Result<std::vector<std::string>> SqliteStore::contact_property_keys(
    const std::string& workspace_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> paths;
  Statement keys(connection_.handle(), kScopeKeysSql);
  keys.bind(1, workspace_id).bind(2, kContactScope);
  while (true) {
    auto row = keys.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    paths.push_back(keys.text(1));
  }
  return paths;
}

}  // namespace hookline::store::sqlite
