#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/contact.h"
#include "store/store_types.h"

namespace hookline::store {

// Where a key was seen: the details of events of one name (the prefix and the name,
// "event:order.paid"), or the properties of contacts ("contact").
inline constexpr std::string_view kEventScopePrefix = "event:";
inline constexpr std::string_view kContactScope = "contact";

// How much of an object the catalog takes: nested objects are walked this many levels down, and
// a scope keeps at most kMaxScopeKeys keys (details keyed by product id would otherwise add keys
// without end).
inline constexpr int kMaxKeyDepth = 3;
inline constexpr int64_t kMaxScopeKeys = 200;
// Event names a workspace's catalog keeps.
inline constexpr int64_t kMaxEventTypes = 1000;
// An example is refreshed at most this often per event name, so it follows what clients send
// without a write per event; last_seen_at is as precise.
inline constexpr int64_t kExampleRefreshMs = 3'600'000;
// Examples larger than this are not kept (the catalog shows the keys alone).
inline constexpr size_t kMaxExampleBytes = 16 * 1024;

// Calls fn(path) for each key a placeholder can name in `object`, as a dotted path ("total",
// "address.city"): values at any level to kMaxKeyDepth, objects included. Keys no placeholder can
// name (empty, or with a dot) are left out, with what is under them. `path` is a buffer the
// walk reuses; fn sees a view of it.
template <typename Fn>
void for_each_placeholder_key(const boost::json::object& object, std::string& path, Fn&& fn,
                              int depth = 1) {
  for (const auto& [key, value] : object) {
    if (key.empty() || key.find('.') != boost::json::string_view::npos) continue;
    const size_t before = path.size();
    if (!path.empty()) path.push_back('.');
    path.append(key.data(), key.size());
    fn(std::string_view(path));
    if (const auto* inner = value.if_object(); inner != nullptr && depth < kMaxKeyDepth) {
      for_each_placeholder_key(*inner, path, fn, depth + 1);
    }
    path.resize(before);
  }
}

// What the catalog (GET /v1/event-types, GET /v1/contact-properties) learns from the events and
// contacts a write batch stores: an event name seen for the first time in a workspace, a key seen
// for the first time in a scope, and, at most once per kExampleRefreshMs and name, a fresh
// example. Only news is written: the writer remembers what it stored, so an event of a known
// shape costs no write. News belongs to the job that found it until the job ends, like counts
// (job_tally.h), and becomes known only once its batch has committed.
class CatalogNews {
 public:
  // An event the job stored; `details_json` is event.details as stored.
  void event_stored(const std::string& workspace_id, std::string_view name,
                    const boost::json::object& details, std::string_view details_json,
                    const std::string& contact_id, int64_t now_ms);
  // A contact the job wrote, with its properties as written.
  void contact_stored(const Contact& contact, int64_t now_ms);
  void end_job(bool succeeded);

  // The batch's news as JSON arrays of rows for event_types_upsert_sql and
  // catalog_keys_insert_sql; empty when there is none.
  std::string type_rows() const;
  std::string key_rows() const;

  // The batch committed: what it wrote is known from now on.
  void committed();
  // The batch failed: none of it was written.
  void discard();

 private:
  using TypeKey = std::pair<std::string, std::string>;                  // workspace, name
  using ScopedKey = std::tuple<std::string, std::string, std::string>;  // workspace, scope, key
  struct ViewLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
    template <typename A, typename B, typename C>
    static auto view(const std::tuple<A, B, C>& t) {
      return std::tuple<std::string_view, std::string_view, std::string_view>(
          std::get<0>(t), std::get<1>(t), std::get<2>(t));
    }
    template <typename A, typename B>
    static auto view(const std::pair<A, B>& p) {
      return std::pair<std::string_view, std::string_view>(p.first, p.second);
    }
  };
  struct Example {
    std::string contact_id;
    std::string details_json;  // empty when too large to keep
    int64_t seen_at = 0;
  };

  void key_seen(const std::string& workspace_id, std::string_view scope, std::string_view key,
                int64_t now_ms);

  // What this writer has stored: event names with when it last wrote their example, and keys.
  std::map<TypeKey, int64_t, ViewLess> examples_written_;
  std::set<ScopedKey, ViewLess> keys_written_;
  // News of the job in progress, and of the batch's jobs that succeeded.
  std::map<TypeKey, Example, ViewLess> job_types_, batch_types_;
  std::map<ScopedKey, int64_t, ViewLess> job_keys_, batch_keys_;  // first seen at
  std::string scope_;                                             // buffers, reused
  std::string path_;
};

// Reading the catalog, in both backends. Event names of a workspace ($1): name, first_seen_at,
// last_seen_at, example (NULL when none).
inline constexpr std::string_view kEventTypesSql =
    "SELECT name, first_seen_at, last_seen_at, example FROM event_types WHERE workspace_id = $1 "
    "ORDER BY name";
// The keys of a workspace ($1) in one scope ($2), or, with kEventKeysSql, of every event name:
// scope, path.
inline constexpr std::string_view kScopeKeysSql =
    "SELECT scope, path FROM catalog_keys WHERE workspace_id = $1 AND scope = $2 ORDER BY path";
inline constexpr std::string_view kEventKeysSql =
    "SELECT scope, path FROM catalog_keys WHERE workspace_id = $1 AND scope >= 'event:' AND scope "
    "< 'event;' ORDER BY scope, path";
// Gives a row of kEventKeysSql to its name in `types` (sorted by name); a key of a name not there
// (seen after the names were read) is left out.
void add_event_key(std::vector<EventTypeInfo>& types, std::string_view scope, std::string path);

// Adds the rows of CatalogNews::type_rows to event_types, in both backends; `rows_from` is as
// for stats_upsert_sql (delivery_tally.h). A name already there gets the newer example.
std::string event_types_upsert_sql(std::string_view rows_from);
// Adds the rows of CatalogNews::key_rows to catalog_keys; a key already there stays as it was.
std::string catalog_keys_insert_sql(std::string_view rows_from);

}  // namespace hookline::store
