#include "store/event_catalog.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace hookline::store {
namespace {

// What one writer remembers before it starts over (a few MiB at most): forgetting costs only
// statements that change nothing (the rows are there), never a wrong catalog.
constexpr size_t kMaxRemembered = 50'000;
// News a batch takes at most; what is left is found by a later batch.
constexpr size_t kMaxBatchKeys = 10'000;

template <typename Map>
void join(Map& batch, Map& job, bool succeeded) {
  if (succeeded) batch.merge(job);  // a key both have keeps the batch's (first seen) entry
  job.clear();
}

}  // namespace

void CatalogNews::event_stored(const std::string& workspace_id, std::string_view name,
                               const boost::json::object& details, std::string_view details_json,
                               const std::string& contact_id, int64_t now_ms) {
  const std::pair<std::string_view, std::string_view> type{workspace_id, name};
  auto written = examples_written_.find(type);
  const bool fresh =
      written != examples_written_.end() && now_ms - written->second < kExampleRefreshMs;
  if (!fresh && !batch_types_.contains(type) && !job_types_.contains(type)) {
    job_types_.emplace(
        TypeKey(workspace_id, name),
        Example{contact_id,
                details_json.size() <= kMaxExampleBytes ? std::string(details_json) : std::string(),
                now_ms});
  }
  scope_.assign(kEventScopePrefix).append(name);
  path_.clear();
  for_each_placeholder_key(
      details, path_, [&](std::string_view key) { key_seen(workspace_id, scope_, key, now_ms); });
}

void CatalogNews::contact_stored(const Contact& contact, int64_t now_ms) {
  path_.clear();
  for_each_placeholder_key(contact.properties, path_, [&](std::string_view key) {
    key_seen(contact.workspace_id, kContactScope, key, now_ms);
  });
}

void CatalogNews::key_seen(const std::string& workspace_id, std::string_view scope,
                           std::string_view key, int64_t now_ms) {
  const std::tuple<std::string_view, std::string_view, std::string_view> scoped{workspace_id, scope,
                                                                                key};
  if (keys_written_.contains(scoped) || batch_keys_.contains(scoped) ||
      job_keys_.contains(scoped) || batch_keys_.size() + job_keys_.size() >= kMaxBatchKeys) {
    return;
  }
  job_keys_.emplace(ScopedKey(workspace_id, scope, key), now_ms);
}

void CatalogNews::end_job(bool succeeded) {
  join(batch_types_, job_types_, succeeded);
  join(batch_keys_, job_keys_, succeeded);
}

std::string CatalogNews::type_rows() const {
  boost::json::array rows;
  for (const auto& [type, example] : batch_types_) {
    boost::json::array row{type.first, type.second, example.seen_at};
    if (example.details_json.empty()) {
      row.emplace_back(nullptr);
    } else {
      row.emplace_back(example.details_json);
    }
    row.emplace_back(example.contact_id);
    rows.push_back(std::move(row));
  }
  return rows.empty() ? std::string() : boost::json::serialize(rows);
}

std::string CatalogNews::key_rows() const {
  boost::json::array rows;
  for (const auto& [key, seen_at] : batch_keys_) {
    rows.push_back(
        boost::json::array{std::get<0>(key), std::get<1>(key), std::get<2>(key), seen_at});
  }
  return rows.empty() ? std::string() : boost::json::serialize(rows);
}

void CatalogNews::committed() {
  if (examples_written_.size() + keys_written_.size() + batch_types_.size() + batch_keys_.size() >
      kMaxRemembered) {
    examples_written_.clear();
    keys_written_.clear();
  }
  for (auto& [type, example] : batch_types_) examples_written_[type] = example.seen_at;
  for (auto& [key, seen_at] : batch_keys_) keys_written_.insert(key);
  discard();
}

void CatalogNews::discard() {
  job_types_.clear();
  batch_types_.clear();
  job_keys_.clear();
  batch_keys_.clear();
}

void add_event_key(std::vector<EventTypeInfo>& types, std::string_view scope, std::string path) {
  if (!scope.starts_with(kEventScopePrefix)) return;
  const std::string_view name = scope.substr(kEventScopePrefix.size());
  auto it =
      std::lower_bound(types.begin(), types.end(), name,
                       [](const EventTypeInfo& type, std::string_view n) { return type.name < n; });
  if (it != types.end() && it->name == name) it->keys.push_back(std::move(path));
}

std::string event_types_upsert_sql(std::string_view rows_from) {
  const std::string workspace = "CAST(r.value ->> 0 AS TEXT)";
  const std::string name = "CAST(r.value ->> 1 AS TEXT)";
  return "INSERT INTO event_types (workspace_id, name, first_seen_at, last_seen_at, example, "
         "example_contact_id) SELECT " +
         workspace + ", " + name +
         ", CAST(r.value ->> 2 AS BIGINT), CAST(r.value ->> 2 AS BIGINT), CAST(r.value ->> 3 AS "
         "TEXT), CAST(r.value ->> 4 AS TEXT) FROM " +
         std::string(rows_from) +
         " WHERE EXISTS (SELECT 1 FROM event_types t WHERE t.workspace_id = " + workspace +
         " AND t.name = " + name +
         ") OR (SELECT COUNT(*) FROM event_types t WHERE t.workspace_id = " + workspace + ") < " +
         std::to_string(kMaxEventTypes) +
         // Nodes' news may arrive out of order: only a newer example replaces one.
         " ON CONFLICT (workspace_id, name) DO UPDATE SET last_seen_at = excluded.last_seen_at, "
         "example = excluded.example, example_contact_id = excluded.example_contact_id WHERE "
         "excluded.last_seen_at > event_types.last_seen_at";
}

std::string catalog_keys_insert_sql(std::string_view rows_from) {
  // Each row numbered within its scope, so that the keys already stored and the batch's together
  // stay within the cap (a key already there uses up a number too: the cap is never passed).
  return "INSERT INTO catalog_keys (workspace_id, scope, path, first_seen_at) SELECT n.w, n.s, "
         "n.p, n.t FROM (SELECT CAST(r.value ->> 0 AS TEXT) AS w, CAST(r.value ->> 1 AS TEXT) AS "
         "s, CAST(r.value ->> 2 AS TEXT) AS p, CAST(r.value ->> 3 AS BIGINT) AS t, ROW_NUMBER() "
         "OVER (PARTITION BY r.value ->> 0, r.value ->> 1 ORDER BY r.value ->> 2) AS i FROM " +
         std::string(rows_from) +
         ") AS n WHERE n.i + (SELECT COUNT(*) FROM catalog_keys k WHERE k.workspace_id = n.w AND "
         "k.scope = n.s) <= " +
         std::to_string(kMaxScopeKeys) + " ON CONFLICT DO NOTHING";
}

}  // namespace hookline::store
