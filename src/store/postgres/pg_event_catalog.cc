// The event catalog on PostgreSQL: news written by each node's writer with its batch (a name or
// key another node stored first changes nothing), read by the API.
#include "store/event_catalog.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {

Result<void> PgWriteTxn::write_catalog_news() {
  // Rows in key order (the news' maps): nodes adding the same names take their locks in one order.
  constexpr std::string_view kRows = "json_array_elements($1::json) AS r(value)";
  if (const std::string rows = catalog_news_.type_rows(); !rows.empty()) {
    if (auto r = db().query(event_types_upsert_sql(kRows), {rows}); !r) {
      return std::unexpected(r.error());
    }
  }
  if (const std::string rows = catalog_news_.key_rows(); !rows.empty()) {
    if (auto r = db().query(catalog_keys_insert_sql(kRows), {rows}); !r) {
      return std::unexpected(r.error());
    }
  }
  return {};
}

Result<std::vector<EventTypeInfo>> PgStore::event_types(const std::string& workspace_id) {
  return with_connection<std::vector<EventTypeInfo>>(
      [&](PgConnection& db) -> Result<std::vector<EventTypeInfo>> {
        auto names = db.query(kEventTypesSql, {workspace_id});
        if (!names) return std::unexpected(names.error());
        std::vector<EventTypeInfo> types;
        types.reserve(static_cast<size_t>(names->rows()));
        for (int row = 0; row < names->rows(); ++row) {
          EventTypeInfo& type = types.emplace_back();
          type.name = names->text(row, 0);
          type.first_seen_at = names->integer(row, 1);
          type.last_seen_at = names->integer(row, 2);
          if (!names->is_null(row, 3)) type.example = names->text(row, 3);
        }
        auto keys = db.query(kEventKeysSql, {workspace_id});
        if (!keys) return std::unexpected(keys.error());
        for (int row = 0; row < keys->rows(); ++row) {
          add_event_key(types, keys->text(row, 0), keys->text(row, 1));
        }
        return types;
      });
}

Result<std::vector<std::string>> PgStore::contact_property_keys(const std::string& workspace_id) {
  return with_connection<std::vector<std::string>>(
      [&](PgConnection& db) -> Result<std::vector<std::string>> {
        auto keys = db.query(kScopeKeysSql, {workspace_id, std::string(kContactScope)});
        if (!keys) return std::unexpected(keys.error());
        std::vector<std::string> paths;
        paths.reserve(static_cast<size_t>(keys->rows()));
        for (int row = 0; row < keys->rows(); ++row) paths.push_back(keys->text(row, 1));
        return paths;
      });
}

}  // namespace hookline::store::postgres
