#include "api/handlers/journey_references.h"

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

Result<void> refuse_if_journeys_use(Services& services, const std::string& workspace_id,
                                    std::string_view what, const std::string& id,
                                    const std::function<bool(const Block&)>& uses) {
  constexpr int kPage = 200;
  std::vector<std::string> users;  // "Name" (id), as the message lists them
  std::string cursor;
  do {
    auto page = services.store.list_journeys(workspace_id, {kPage, cursor});
    if (!page) return std::unexpected(page.error());
    for (const store::JourneyRow& row : page->items) {
      if (row.status == JourneyStatus::kDraft) continue;
      json::object graph = stored_graph(row);
      graph["name"] = row.name;
      auto journey = journeys::journey_from_json(graph);
      if (!journey) return std::unexpected(journey.error());
      for (const Block& block : journey->blocks) {
        if (!uses(block)) continue;
        users.push_back("\"" + row.name + "\" (" + row.id + ")");
        break;
      }
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  if (users.empty()) return {};
  std::string names;
  for (const std::string& user : users) names += (names.empty() ? "" : ", ") + user;
  return std::unexpected(Error{ErrorCode::kConflict,
                               "the " + std::string(what) + " " + id + " is used by " +
                                   (users.size() == 1 ? "a journey that is" : "journeys that are") +
                                   " active or paused: " + names +
                                   ". Remove it from their blocks, or delete them, first",
                               {}});
}

}  // namespace hookline::api
