// /v1/journeys: marketing journeys (SPEC 5). Saving validates the graph; activating starts
// enrolment. The engine that runs them lives in journeys/ and ingest/.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "api/audit.h"
#include "api/handlers/journey_references.h"
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/responses.h"
#include "core/ids.h"
#include "core/json_depth.h"
#include "journeys/journey_json.h"
#include "journeys/validate.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

journeys::References references(Services& services, const std::string& workspace_id) {
  auto exists = [](auto found) -> Result<bool> {
    if (found) return true;
    if (found.error().code == ErrorCode::kNotFound) return false;
    return std::unexpected(found.error());
  };
  return {[&services, workspace_id, exists](const std::string& id) {
            return exists(services.store.get_webhook(workspace_id, id));
          },
          [&services, workspace_id, exists](const std::string& id) {
            return exists(services.store.get_list(workspace_id, id));
          }};
}

// Parses and validates a journey body into the row to store.
Result<store::JourneyRow> read_journey(Services& services, const ApiRequest& request) {
  auto body = parse_object_body(request.body);
  if (!body) return std::unexpected(body.error());
  auto journey = journeys::journey_from_json(*body);
  if (!journey) return std::unexpected(journey.error());
  if (auto valid = journeys::validate_journey(*journey, references(services, request.workspace_id));
      !valid) {
    return std::unexpected(valid.error());
  }
  json::object graph = journeys::journey_to_json(*journey);
  store::JourneyRow row;
  row.workspace_id = request.workspace_id;
  row.name = journey->name;
  row.reenter_every_time = journey->reenter_every_time;
  row.graph = json::serialize(json::object{{"blocks", graph["blocks"]}, {"edges", graph["edges"]}});
  row.trigger_event = journey->trigger()->event;
  if (const Block* goal = journey->goal()) row.goal_event = goal->event;
  row.wait_events = journey->wait_events();
  // The version the change was made from, when the client says so (a replace); 0 when it does not.
  row.version = 0;
  if (const json::value* version = body->if_contains("version");
      version != nullptr && !version->is_null()) {
    const auto number = version->is_int64() ? version->get_int64() : int64_t{0};
    if (number < 1 || number > std::numeric_limits<int>::max()) {
      return std::unexpected(Error::validation(
          "version", "version must be the version the change was made from (1 or more)"));
    }
    row.version = static_cast<int>(number);
  }
  return row;
}

json::object row_to_json(const store::JourneyRow& row) {
  json::object out{{"id", row.id},
                   {"name", row.name},
                   {"status", journey_status_name(row.status)},
                   {"reentry", row.reenter_every_time ? "every_time" : "once"},
                   {"version", row.version}};
  json::object graph = stored_graph(row);
  out["blocks"] = graph.at("blocks");
  out["edges"] = graph.at("edges");
  out["created_at"] = row.created_at;
  out["updated_at"] = row.updated_at;
  return out;
}

// A split's runs per branch, by the branches' names (stored paths count them by position).
json::object split_counts(const json::object& block, const BlockStats& stats) {
  json::object out;
  const json::object* config =
      block.if_contains("config") ? block.at("config").if_object() : nullptr;
  const json::value* branches = config != nullptr ? config->if_contains("branches") : nullptr;
  if (branches == nullptr || !branches->is_array()) return out;
  size_t index = 0;
  for (const json::value& branch : branches->get_array()) {
    if (index == kMaxSplitBranches) break;
    const json::object* object = branch.if_object();
    const json::value* name = object != nullptr ? object->if_contains("name") : nullptr;
    if (name != nullptr && name->is_string()) out[name->get_string()] = stats.branches[index];
    ++index;
  }
  return out;
}

// Only a block that waits for the answer has outputs to count apart; a plain call's counts stay as
// they were.
bool waits_for_answer(const json::object& block) {
  const json::value* config = block.if_contains("config");
  const json::value* wait = config != nullptr && config->is_object()
                                ? config->get_object().if_contains("wait_for_response")
                                : nullptr;
  return wait != nullptr && wait->is_bool() && wait->get_bool();
}

// The journey's totals, from each block's counts by its type: a run that ended at an exit block
// exited, one its goal took out converted, one that ended anywhere else completed the journey.
class JourneyTotals {
 public:
  void add(std::string_view type, const BlockStats& s) {
    if (type == "trigger") entered_ += s.entered;
    if (type == "exit") exited_ += s.ended;
    if (type == "goal") converted_ += s.ended;
    waiting_ += s.waiting;
    ended_ += s.ended;
  }
  json::object to_json() const {
    return {{"entered", entered_},
            {"waiting", waiting_},
            {"completed", ended_ - exited_ - converted_},
            {"exited", exited_},
            {"converted", converted_}};
  }

 private:
  int64_t entered_ = 0, waiting_ = 0, ended_ = 0, exited_ = 0, converted_ = 0;
};

// The types of blocks counted in the journey that its current version no longer has, from the
// newest earlier version that has each: their runs count in the totals too.
Result<std::map<std::string, std::string>> earlier_block_types(Services& services,
                                                               const store::JourneyRow& row,
                                                               std::set<std::string> missing) {
  std::map<std::string, std::string> types;
  for (int version = row.version - 1; version >= 1 && !missing.empty(); --version) {
    auto earlier = services.store.get_journey_version(row.workspace_id, row.id, version);
    if (!earlier) return std::unexpected(earlier.error());
    const json::object graph = stored_graph(*earlier);
    for (const json::value& block : graph.at("blocks").as_array()) {
      const std::string id(block.at("id").as_string());
      if (missing.erase(id) > 0) types[id] = std::string(block.at("type").as_string());
    }
  }
  return types;
}

// One block's counts as the API shows them: its runs, and the outputs its type has.
json::object block_counts(const json::object& block, const BlockStats& s) {
  const std::string_view type = block.at("type").as_string();
  json::object counts{
      {"entered", s.entered}, {"waiting", s.waiting}, {"left", s.left}, {"ended", s.ended}};
  if (type == "condition") {
    counts["yes"] = s.yes;
    counts["no"] = s.no;
  }
  if (type == "split") counts["branches"] = split_counts(block, s);
  if (type == "wait_until") {
    counts["happened"] = s.happened;
    counts["timed_out"] = s.timed_out;
  }
  if (type == "webhook" && waits_for_answer(block)) {
    counts["succeeded"] = s.succeeded;
    counts["failed"] = s.failed;
    counts["unmapped"] = s.unmapped;
  }
  return counts;
}

// The counts of each of `blocks` (every one listed, zeros included), added to `totals`.
json::object counts_by_block(const json::array& blocks,
                             const std::map<std::string, BlockStats>& stats,
                             JourneyTotals& totals) {
  json::object by_block;
  for (const json::value& block : blocks) {
    const std::string id(block.at("id").as_string());
    const auto found = stats.find(id);
    const BlockStats s = found != stats.end() ? found->second : BlockStats{};
    by_block[id] = block_counts(block.as_object(), s);
    totals.add(block.at("type").as_string(), s);
  }
  return by_block;
}

// The journey with its per-block counts (every block of its current version listed, zeros
// included) and its totals, all over its versions.
Result<json::object> journey_with_stats(Services& services, const store::JourneyRow& row) {
  auto stats = services.store.journey_stats(row.workspace_id, row.id);
  if (!stats) return std::unexpected(stats.error());
  json::object out = row_to_json(row);
  JourneyTotals totals;
  json::object by_block = counts_by_block(out["blocks"].as_array(), *stats, totals);
  std::set<std::string> missing;
  for (const auto& [id, s] : *stats) {
    if (!by_block.contains(id)) missing.insert(id);
  }
  if (!missing.empty()) {
    auto types = earlier_block_types(services, row, missing);
    if (!types) return std::unexpected(types.error());
    for (const std::string& id : missing) {
      const auto type = types->find(id);
      totals.add(type != types->end() ? std::string_view(type->second) : "", stats->at(id));
    }
  }
  out["stats"] = std::move(by_block);
  out["totals"] = totals.to_json();
  return out;
}

// What runs the journey: its graph without the blocks' places on the canvas, blocks and edges in
// one order (the order they were listed in means nothing). Saving another layout of the same graph
// makes no new version.
json::object without_layout(json::object graph) {
  auto text = [](const json::value& v, std::string_view key) -> std::string_view {
    const json::object* object = v.if_object();
    const json::value* field = object != nullptr ? object->if_contains(key) : nullptr;
    return field != nullptr && field->is_string() ? std::string_view(field->get_string())
                                                  : std::string_view();
  };
  if (json::value* blocks = graph.if_contains("blocks"); blocks != nullptr && blocks->is_array()) {
    for (json::value& block : blocks->get_array()) {
      if (block.is_object()) block.get_object().erase("position");
    }
    std::ranges::sort(blocks->get_array(), {},
                      [&](const json::value& block) { return text(block, "id"); });
  }
  if (json::value* edges = graph.if_contains("edges"); edges != nullptr && edges->is_array()) {
    std::ranges::sort(edges->get_array(), {}, [&](const json::value& edge) {
      return std::tuple(text(edge, "source"), text(edge, "branch"), text(edge, "target"));
    });
  }
  return graph;
}

// The version a change to `stored` makes current: a new one when the graph of a journey that has
// been activated changes (contacts inside finish on the one they entered); else the same one,
// changed in place (a draft has no one inside).
int version_after(const store::JourneyRow& stored, const store::JourneyRow& changed) {
  if (stored.status == JourneyStatus::kDraft) return stored.version;
  const bool same_graph =
      without_layout(stored_graph(stored)) == without_layout(stored_graph(changed));
  return same_graph ? stored.version : stored.version + 1;
}

// One version of the journey: its graph, with the runs made on it and the contacts waiting on it
// now, per block and in all.
Result<json::object> version_with_stats(Services& services, const store::JourneyRow& journey,
                                        const store::JourneyVersionInfo& version) {
  auto row = services.store.get_journey_version(journey.workspace_id, journey.id, version.version);
  if (!row) return std::unexpected(row.error());
  auto stats = services.store.version_stats(journey.workspace_id, journey.id, version.version);
  if (!stats) return std::unexpected(stats.error());
  json::object out = row_to_json(*row);
  out.erase("updated_at");
  out["current"] = version.version == journey.version;
  out["created_at"] = version.created_at;
  JourneyTotals totals;
  out["stats"] = counts_by_block(out["blocks"].as_array(), *stats, totals);
  out["totals"] = totals.to_json();
  return out;
}

json::object version_info_to_json(const store::JourneyVersionInfo& version, int current) {
  return {{"version", version.version},
          {"current", version.version == current},
          {"created_at", version.created_at},
          {"waiting", version.waiting}};
}

Result<int> version_param(const ApiRequest& request) {
  const std::string& text = request.param("version");
  int version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return std::unexpected(
        Error::validation("version", "version must be a whole number from 1, as listed"));
  }
  return version;
}

ApiResponse journey_response(Services& services, int status, const store::JourneyRow& row) {
  auto out = journey_with_stats(services, row);
  if (!out) return error_response(out.error());
  return json_response(status, *out);
}

ApiResponse change_status(Services& services, ApiRequest& request, JourneyStatus status) {
  auto row = services.store.get_journey(request.workspace_id, request.param("id"));
  if (!row) return error_response(row.error());
  if (status == JourneyStatus::kActive) {
    // What the blocks refer to may have gone since the journey was saved.
    json::object body = stored_graph(*row);
    body["name"] = row->name;
    auto journey = journeys::journey_from_json(body);
    if (!journey) return error_response(journey.error());
    if (auto valid =
            journeys::validate_journey(*journey, references(services, request.workspace_id));
        !valid) {
      return error_response(valid.error());
    }
  }
  const int64_t now = services.clock.now_ms();
  if (auto set = services.store.set_journey_status(request.workspace_id, row->id, status, now);
      !set) {
    return error_response(set.error());
  }
  row->status = status;
  row->updated_at = std::max(now, row->updated_at + 1);  // as the store sets it
  record_change(services, request,
                {.action = status == JourneyStatus::kActive ? "activate" : "pause",
                 .resource_type = "journey",
                 .resource_id = row->id});
  return journey_response(services, 200, *row);
}

json::object enrolment_to_json(const Enrolment& e) {
  return {{"id", e.id},
          {"journey_id", e.journey_id},
          {"journey_version", e.journey_version},
          {"contact_id", e.contact_id},
          {"block_id", e.block_id},
          {"status", e.status},
          {"wake_at", e.status == "waiting" ? json::value(e.wake_at) : json::value(nullptr)},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at}};
}

}  // namespace

void add_journey_routes(Router& router, Services& services) {
  router.add("POST", "/v1/journeys", [&services](ApiRequest& request) {
    auto row = read_journey(services, request);
    if (!row) return error_response(row.error());
    row->created_at = row->updated_at = services.clock.now_ms();
    row->id = new_uuid_v7(row->created_at);
    row->version = 1;
    if (auto inserted = services.store.insert_journey(*row); !inserted) {
      return error_response(inserted.error());
    }
    json::object created = row_to_json(*row);
    created.erase("updated_at");
    record_change(services, request,
                  {.action = "create",
                   .resource_type = "journey",
                   .resource_id = row->id,
                   .changes = std::move(created)});
    return journey_response(services, 201, *row);
  });

  router.add("GET", "/v1/journeys", [&services](ApiRequest& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto found = services.store.list_journeys(request.workspace_id, *page);
    if (!found) return error_response(found.error());
    // The list shows how many contacts each journey took in: the same counts as one journey's.
    std::vector<json::object> shown;
    shown.reserve(found->items.size());
    for (const store::JourneyRow& row : found->items) {
      auto out = journey_with_stats(services, row);
      if (!out) return error_response(out.error());
      shown.push_back(std::move(*out));
    }
    size_t next = 0;
    return page_response(*found,
                         [&](const store::JourneyRow&) { return std::move(shown[next++]); });
  });

  router.add("GET", "/v1/journeys/{id}", [&services](ApiRequest& request) {
    auto row = services.store.get_journey(request.workspace_id, request.param("id"));
    if (!row) return error_response(row.error());
    return journey_response(services, 200, *row);
  });

  // Replaces the graph. Once the journey has been activated, a new graph is a new version: new
  // contacts enter it, and contacts already inside finish on the version they entered.
  router.add("PUT", "/v1/journeys/{id}", [&services](ApiRequest& request) {
    auto stored = services.store.get_journey(request.workspace_id, request.param("id"));
    if (!stored) return error_response(stored.error());
    auto row = read_journey(services, request);
    if (!row) return error_response(row.error());
    if (row->version != 0 && row->version != stored->version) {
      return error_response(Error{ErrorCode::kConflict,
                                  "journey " + stored->id + " is at version " +
                                      std::to_string(stored->version) +
                                      " now; this change was made from version " +
                                      std::to_string(row->version) + ": load it again",
                                  {}});
    }
    row->id = stored->id;
    row->status = stored->status;
    row->created_at = stored->created_at;
    row->updated_at = std::max(services.clock.now_ms(), stored->updated_at + 1);
    row->version = version_after(*stored, *row);
    if (auto updated = services.store.update_journey(*row, *stored); !updated) {
      return error_response(updated.error());
    }
    json::object before = row_to_json(*stored);
    json::object after = row_to_json(*row);
    before.erase("updated_at");
    after.erase("updated_at");
    record_change(services, request,
                  {.action = "update",
                   .resource_type = "journey",
                   .resource_id = row->id,
                   .changes = changed_fields(before, after)});
    return journey_response(services, 200, *row);
  });

  router.add("GET", "/v1/journeys/{id}/versions", [&services](ApiRequest& request) {
    auto journey = services.store.get_journey(request.workspace_id, request.param("id"));
    if (!journey) return error_response(journey.error());
    auto versions = services.store.journey_versions(request.workspace_id, journey->id);
    if (!versions) return error_response(versions.error());
    // Shaped as every list is, in one page: a journey has few versions.
    json::array data;
    for (const store::JourneyVersionInfo& version : *versions) {
      data.push_back(version_info_to_json(version, journey->version));
    }
    return json_response(200, json::object{{"data", std::move(data)}, {"next_cursor", nullptr}});
  });

  router.add("GET", "/v1/journeys/{id}/versions/{version}", [&services](ApiRequest& request) {
    auto number = version_param(request);
    if (!number) return error_response(number.error());
    auto journey = services.store.get_journey(request.workspace_id, request.param("id"));
    if (!journey) return error_response(journey.error());
    auto versions = services.store.journey_versions(request.workspace_id, journey->id);
    if (!versions) return error_response(versions.error());
    const auto version = std::ranges::find(*versions, *number, &store::JourneyVersionInfo::version);
    if (version == versions->end()) {
      return error_response(Error::not_found("journey " + journey->id + " has no version " +
                                             std::to_string(*number)));
    }
    auto out = version_with_stats(services, *journey, *version);
    if (!out) return error_response(out.error());
    return json_response(200, *out);
  });

  router.add("DELETE", "/v1/journeys/{id}", [&services](ApiRequest& request) {
    const std::string& id = request.param("id");
    return respond_with(services.store.delete_journey(request.workspace_id, id), [&] {
      record_change(services, request,
                    {.action = "delete", .resource_type = "journey", .resource_id = id});
      return no_content();
    });
  });

  router.add("POST", "/v1/journeys/{id}/activate", [&services](ApiRequest& request) {
    return change_status(services, request, JourneyStatus::kActive);
  });

  router.add("POST", "/v1/journeys/{id}/pause", [&services](ApiRequest& request) {
    return change_status(services, request, JourneyStatus::kPaused);
  });

  router.add("GET", "/v1/contacts/{id}/journeys", [&services](ApiRequest& request) {
    auto contact = services.store.get_contact(request.workspace_id, request.param("id"));
    if (!contact) return error_response(contact.error());
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.contact_enrolments(request.workspace_id, contact->id, *page),
                        [](auto& found) { return page_response(found, enrolment_to_json); });
  });
}

}  // namespace hookline::api
