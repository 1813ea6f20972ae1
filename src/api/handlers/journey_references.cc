#include "api/handlers/journey_references.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "core/json_depth.h"
#include "journeys/journey_json.h"

namespace hookline::api {
namespace json = boost::json;

json::object stored_graph(const store::JourneyRow& row) {
  boost::system::error_code ec;
  json::value graph = parse_stored_json(row.graph, ec);
  if (ec || !graph.is_object()) throw std::logic_error("journey " + row.id + " has a broken graph");
  return std::move(graph.as_object());
}

namespace {

Result<bool> graph_uses(const store::JourneyRow& row,
                        const std::function<bool(const Block&)>& uses) {
  json::object graph = stored_graph(row);
  graph["name"] = row.name;
  auto journey = journeys::journey_from_json(graph);
  if (!journey) return std::unexpected(journey.error());
  return std::ranges::any_of(journey->blocks, uses);
}

// The version of the journey that uses it: the current one if it does, else an earlier one that
// contacts are still on; 0 when none does.
Result<int> version_using(Services& services, const store::JourneyRow& row,
                          const std::function<bool(const Block&)>& uses) {
  auto used = graph_uses(row, uses);
  if (!used) return std::unexpected(used.error());
  if (*used) return row.version;
  if (row.version == 1) return 0;
  auto versions = services.store.journey_versions(row.workspace_id, row.id);
  if (!versions) return std::unexpected(versions.error());
  for (const store::JourneyVersionInfo& version : *versions) {
    if (version.version == row.version || version.waiting == 0) continue;
    auto older = services.store.get_journey_version(row.workspace_id, row.id, version.version);
    if (!older) return std::unexpected(older.error());
    used = graph_uses(*older, uses);
    if (!used) return std::unexpected(used.error());
    if (*used) return version.version;
  }
  return 0;
}

}  // namespace

Result<void> refuse_if_journeys_use(Services& services, const std::string& workspace_id,
                                    std::string_view what, const std::string& id,
                                    const std::function<bool(const Block&)>& uses) {
  constexpr int kPage = 200;
  std::vector<std::string> users;  // "Name" (id), as the message lists them
  bool by_earlier_version = false;
  std::string cursor;
  do {
    auto page = services.store.list_journeys(workspace_id, {kPage, cursor});
    if (!page) return std::unexpected(page.error());
    for (const store::JourneyRow& row : page->items) {
      if (row.status == JourneyStatus::kDraft) continue;
      auto version = version_using(services, row, uses);
      if (!version) return std::unexpected(version.error());
      if (*version == 0) continue;
      if (*version == row.version) {
        users.push_back("\"" + row.name + "\" (" + row.id + ")");
      } else {
        users.push_back("\"" + row.name + "\" (" + row.id + ", its version " +
                        std::to_string(*version) + ", which contacts are still finishing on)");
        by_earlier_version = true;
      }
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  if (users.empty()) return {};
  std::string names;
  for (const std::string& user : users) names += (names.empty() ? "" : ", ") + user;
  return std::unexpected(Error{
      ErrorCode::kConflict,
      "the " + std::string(what) + " " + id + " is used by " +
          (users.size() == 1 ? "a journey that is" : "journeys that are") +
          " active or paused: " + names + ". Remove it from their blocks, or delete them, first" +
          (by_earlier_version ? std::string(" (an earlier version keeps it until the "
                                            "contacts on it have finished)")
                              : std::string()),
      {}});
}

}  // namespace hookline::api
