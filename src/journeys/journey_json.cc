#include "journeys/journey_json.h"

#include <charconv>
#include <set>

#include "core/event.h"
#include "core/header_rules.h"
#include "core/utf8.h"
#include "journeys/response_mapping.h"
#include "journeys/time_of_day.h"

namespace hookline::journeys {
namespace json = boost::json;

namespace {

constexpr size_t kMaxBlocks = 200;
constexpr int64_t kMaxDelayMs = int64_t{365} * 24 * 3600 * 1000;

Error bad(const std::string& field, const std::string& message) {
  return {ErrorCode::kUnprocessable, message, field};
}

Error block_error(const std::string& block_id, const std::string& key, const std::string& message) {
  return bad("blocks." + block_id + (key.empty() ? "" : ".config." + key),
             "block " + block_id + ": " + message);
}

// A required non-empty string in a block's config.
Result<std::string> config_string(const Block& block, const char* key) {
  const json::value* value = block.config.if_contains(key);
  if (value == nullptr || !value->is_string() || value->get_string().empty()) {
    return std::unexpected(block_error(block.id, key, std::string(key) + " is required"));
  }
  return std::string(value->get_string());
}

Result<Filter> read_block_filter(const Block& block, const json::value& value,
                                 const std::string& key) {
  auto filter = read_filter(value);
  if (!filter) return std::unexpected(block_error(block.id, key, filter.error().message));
  return filter;
}

// A split's branches: 2 to 5, each a unique name and a whole percent, adding up to 100.
Result<void> read_split(Block& block) {
  const json::value* branches = block.config.if_contains("branches");
  if (branches == nullptr || !branches->is_array() ||
      branches->get_array().size() < kMinSplitBranches ||
      branches->get_array().size() > kMaxSplitBranches) {
    return std::unexpected(block_error(block.id, "branches", "a split needs 2 to 5 branches"));
  }
  int total = 0;
  std::set<std::string> names;
  for (const json::value& item : branches->get_array()) {
    const json::object* branch = item.if_object();
    const json::value* name = branch != nullptr ? branch->if_contains("name") : nullptr;
    const json::value* percent = branch != nullptr ? branch->if_contains("percent") : nullptr;
    if (name == nullptr || !name->is_string() || name->get_string().empty() ||
        utf8_length(name->get_string()) > 40) {
      return std::unexpected(
          block_error(block.id, "branches", "each branch needs a name of 1 to 40 characters"));
    }
    if (percent == nullptr || !percent->is_int64() || percent->get_int64() < 1 ||
        percent->get_int64() > 99) {
      return std::unexpected(block_error(
          block.id, "branches", "each branch needs a percent, a whole number from 1 to 99"));
    }
    if (!names.insert(std::string(name->get_string())).second) {
      return std::unexpected(block_error(block.id, "branches", "branch names must be unique"));
    }
    block.branches.push_back(
        {std::string(name->get_string()), static_cast<int>(percent->get_int64())});
    total += static_cast<int>(percent->get_int64());
  }
  if (total != 100) {
    return std::unexpected(block_error(
        block.id, "branches",
        "branch percents must add up to 100 (they add up to " + std::to_string(total) + ")"));
  }
  return {};
}

// A trigger's, a goal's or a Wait until's event and its optional filters.
Result<void> read_event(Block& block) {
  auto event = config_string(block, "event");
  if (!event) return std::unexpected(event.error());
  if (!is_event_name(*event)) {
    return std::unexpected(block_error(block.id, "event", "not a valid event name"));
  }
  if (!is_about_contact(*event)) {
    return std::unexpected(block_error(
        block.id, "event",
        *event + " is about a webhook, not a contact, so no journey can use it; subscribe a "
                 "webhook to it instead"));
  }
  block.event = std::move(*event);
  if (const json::value* filters = block.config.if_contains("filters");
      filters && !filters->is_null()) {
    if (!filters->is_array()) {
      return std::unexpected(block_error(block.id, "filters", "filters must be an array"));
    }
    for (const json::value& item : filters->get_array()) {
      auto filter = read_block_filter(block, item, "filters");
      if (!filter) return std::unexpected(filter.error());
      block.filters.push_back(std::move(*filter));
    }
  }
  return {};
}

// Until an event (with a timeout), or until a time of day in a time zone.
Result<void> read_wait_until(Block& block) {
  auto until = config_string(block, "until");
  if (!until) return std::unexpected(until.error());
  if (*until == "event") {
    if (auto r = read_event(block); !r) return r;
    auto text = config_string(block, "timeout");
    if (!text) return std::unexpected(text.error());
    auto timeout = parse_duration(*text);
    if (!timeout) return std::unexpected(block_error(block.id, "timeout", timeout.error().message));
    block.duration_ms = *timeout;
    return {};
  }
  if (*until != "time") {
    return std::unexpected(block_error(block.id, "until", "until must be event or time"));
  }
  auto at = config_string(block, "at");
  if (!at) return std::unexpected(at.error());
  block.at_minute = parse_time_of_day(*at);
  if (block.at_minute < 0) {
    return std::unexpected(
        block_error(block.id, "at", "at must be a time of day as HH:MM, from 00:00 to 23:59"));
  }
  block.time_zone = "UTC";
  if (const json::value* zone = block.config.if_contains("time_zone"); zone && !zone->is_null()) {
    if (!zone->is_string() || !is_time_zone(zone->get_string())) {
      return std::unexpected(block_error(
          block.id, "time_zone", "time_zone must be a time zone name such as America/Sao_Paulo"));
    }
    block.time_zone = std::string(zone->get_string());
  }
  return {};
}

// Whether the block waits for the call's outcome, and what of the answer it copies onto the
// contact.
Result<void> read_webhook(Block& block) {
  auto webhook = config_string(block, "webhook_id");
  if (!webhook) return std::unexpected(webhook.error());
  block.webhook_id = std::move(*webhook);
  if (const json::value* wait = block.config.if_contains("wait_for_response");
      wait && !wait->is_null()) {
    if (!wait->is_bool()) {
      return std::unexpected(
          block_error(block.id, "wait_for_response", "wait_for_response must be true or false"));
    }
    block.wait_for_response = wait->get_bool();
  }
  const json::value* mappings = block.config.if_contains("response_mapping");
  if (mappings == nullptr || mappings->is_null() ||
      (mappings->is_array() && mappings->get_array().empty())) {
    return {};
  }
  if (!block.wait_for_response) {
    return std::unexpected(block_error(
        block.id, "response_mapping",
        "response_mapping needs wait_for_response: the contact must wait for the answer"));
  }
  if (!mappings->is_array() || mappings->get_array().size() > kMaxResponseMappings) {
    return std::unexpected(block_error(block.id, "response_mapping",
                                       "response_mapping must be an array of at most " +
                                           std::to_string(kMaxResponseMappings) + " mappings"));
  }
  std::set<std::string> targets;
  const json::array& items = mappings->get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string key = "response_mapping[" + std::to_string(i) + "]";
    const json::object* item = items[i].if_object();
    const json::value* from = item != nullptr ? item->if_contains("from") : nullptr;
    const json::value* to = item != nullptr ? item->if_contains("to") : nullptr;
    const json::value* type = item != nullptr ? item->if_contains("type") : nullptr;
    ResponseMapping mapping;
    std::optional<std::string> pointer;
    if (from != nullptr && from->is_string() && from->get_string().size() <= 200) {
      pointer = mapping_pointer(from->get_string());
    }
    if (!pointer) {
      return std::unexpected(block_error(
          block.id, key + ".from",
          "from must be a JSON Pointer such as /lead/score or a path such as $.lead.score"));
    }
    if (to == nullptr || !to->is_string() || !is_mappable_property(to->get_string())) {
      return std::unexpected(
          block_error(block.id, key + ".to",
                      "to must be a contact property: 1 to 64 letters, digits or _, not email"));
    }
    if (!targets.insert(std::string(to->get_string())).second) {
      return std::unexpected(
          block_error(block.id, key + ".to", "two mappings set " + std::string(to->get_string())));
    }
    mapping.type = "any";
    if (type != nullptr && !type->is_null()) {
      if (!type->is_string() || !is_mapping_type(type->get_string())) {
        return std::unexpected(
            block_error(block.id, key + ".type", "type must be any, string, number or boolean"));
      }
      mapping.type = std::string(type->get_string());
    }
    mapping.from = std::string(from->get_string());
    mapping.pointer = std::move(*pointer);
    mapping.to = std::string(to->get_string());
    block.response_mapping.push_back(std::move(mapping));
  }
  return {};
}

Result<void> read_config(Block& block) {
  switch (block.type) {
    case BlockType::kTrigger:
    case BlockType::kGoal:
      return read_event(block);
    case BlockType::kWaitUntil:
      return read_wait_until(block);
    case BlockType::kCondition: {
      if (block.config.contains("in_list")) {
        auto list = config_string(block, "in_list");
        if (!list) return std::unexpected(list.error());
        block.list_id = std::move(*list);
        return {};
      }
      if (!block.config.contains("field")) {
        return std::unexpected(
            block_error(block.id, "", "a condition needs in_list, or field, op and value"));
      }
      auto filter = read_block_filter(block, block.config, "field");
      if (!filter) return std::unexpected(filter.error());
      block.filters.push_back(std::move(*filter));
      return {};
    }
    case BlockType::kDelay: {
      auto text = config_string(block, "duration");
      if (!text) return std::unexpected(text.error());
      auto duration = parse_duration(*text);
      if (!duration)
        return std::unexpected(block_error(block.id, "duration", duration.error().message));
      block.duration_ms = *duration;
      return {};
    }
    case BlockType::kWebhook:
      return read_webhook(block);
    case BlockType::kAddToList:
    case BlockType::kRemoveFromList: {
      auto list = config_string(block, "list_id");
      if (!list) return std::unexpected(list.error());
      block.list_id = std::move(*list);
      return {};
    }
    case BlockType::kUpdateContact: {
      const json::value* properties = block.config.if_contains("properties");
      if (properties == nullptr || !properties->is_object() || properties->get_object().empty()) {
        return std::unexpected(
            block_error(block.id, "properties", "properties must be an object with what to set"));
      }
      block.properties = properties->get_object();
      return {};
    }
    case BlockType::kExit:
      return {};
    case BlockType::kSplit:
      return read_split(block);
  }
  return {};
}

}  // namespace

Result<int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2)
    return std::unexpected(bad("", "duration must look like 30s, 15m, 2h or 2d"));
  int64_t amount = 0;
  const char unit = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), amount);
  int64_t unit_ms = 0;
  switch (unit) {
    case 's':
      unit_ms = 1000;
      break;
    case 'm':
      unit_ms = 60'000;
      break;
    case 'h':
      unit_ms = 3'600'000;
      break;
    case 'd':
      unit_ms = 86'400'000;
      break;
    default:
      break;
  }
  if (ec != std::errc() || end != digits.data() + digits.size() || unit_ms == 0 || amount <= 0 ||
      amount > kMaxDelayMs / unit_ms) {
    return std::unexpected(bad("", "duration must look like 30s, 15m, 2h or 2d (up to 365d)"));
  }
  return amount * unit_ms;
}

Result<Journey> journey_from_json(const json::object& body) {
  Journey journey;
  const json::value* name = body.if_contains("name");
  if (name == nullptr || !name->is_string() || name->get_string().empty() ||
      name->get_string().size() > 200) {
    return std::unexpected(Error::validation("name", "name is required (at most 200 characters)"));
  }
  journey.name = std::string(name->get_string());

  if (const json::value* reentry = body.if_contains("reentry"); reentry && !reentry->is_null()) {
    if (!reentry->is_string() ||
        (reentry->get_string() != "every_time" && reentry->get_string() != "once")) {
      return std::unexpected(Error::validation("reentry", "reentry must be every_time or once"));
    }
    journey.reenter_every_time = reentry->get_string() == "every_time";
  }

  const json::value* blocks = body.if_contains("blocks");
  if (blocks == nullptr || !blocks->is_array() || blocks->get_array().empty()) {
    return std::unexpected(Error::validation("blocks", "blocks must be a non-empty array"));
  }
  if (blocks->get_array().size() > kMaxBlocks) {
    return std::unexpected(Error::validation("blocks", "at most 200 blocks"));
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < blocks->get_array().size(); ++i) {
    const json::value& item = blocks->get_array()[i];
    const std::string where = "blocks[" + std::to_string(i) + "]";
    if (!item.is_object())
      return std::unexpected(Error::validation(where, where + " must be an object"));
    const json::object& object = item.get_object();
    Block block;
    const json::value* id = object.if_contains("id");
    if (id == nullptr || !id->is_string() || id->get_string().empty() ||
        id->get_string().size() > 100) {
      return std::unexpected(Error::validation(where + ".id", where + " needs an id"));
    }
    block.id = std::string(id->get_string());
    if (!ids.insert(block.id).second) {
      return std::unexpected(
          bad("blocks." + block.id, "block " + block.id + ": the id is used twice"));
    }
    const json::value* type = object.if_contains("type");
    auto parsed_type =
        type != nullptr && type->is_string() ? parse_block_type(type->get_string()) : std::nullopt;
    if (!parsed_type) {
      return std::unexpected(
          bad("blocks." + block.id + ".type",
              "block " + block.id +
                  ": unknown type (trigger, condition, delay, wait_until, webhook, "
                  "add_to_list, remove_from_list, update_contact, split, goal, exit)"));
    }
    block.type = *parsed_type;
    if (const json::value* config = object.if_contains("config"); config && !config->is_null()) {
      if (!config->is_object()) {
        return std::unexpected(bad("blocks." + block.id + ".config",
                                   "block " + block.id + ": config must be an object"));
      }
      block.config = config->get_object();
    }
    if (const json::value* position = object.if_contains("position")) block.position = *position;
    if (auto read = read_config(block); !read) return std::unexpected(read.error());
    journey.blocks.push_back(std::move(block));
  }

  if (const json::value* edges = body.if_contains("edges"); edges && !edges->is_null()) {
    if (!edges->is_array())
      return std::unexpected(Error::validation("edges", "edges must be an array"));
    for (size_t i = 0; i < edges->get_array().size(); ++i) {
      const json::value& item = edges->get_array()[i];
      const std::string where = "edges[" + std::to_string(i) + "]";
      if (!item.is_object())
        return std::unexpected(Error::validation(where, where + " must be an object"));
      const json::object& object = item.get_object();
      Edge edge;
      for (auto [key, target] :
           {std::pair{"source", &edge.source}, std::pair{"target", &edge.target},
            std::pair{"branch", &edge.branch}}) {
        const json::value* value = object.if_contains(key);
        if (value == nullptr || value->is_null()) continue;
        if (!value->is_string()) {
          return std::unexpected(
              Error::validation(where + "." + key, where + "." + key + " must be a string"));
        }
        *target = std::string(value->get_string());
      }
      journey.edges.push_back(std::move(edge));
    }
  }
  return journey;
}

json::object journey_to_json(const Journey& journey) {
  json::array blocks;
  for (const Block& block : journey.blocks) {
    blocks.push_back(json::object{
        {"id", block.id},
        {"type", block_type_name(block.type)},
        {"position", block.position.is_null() ? json::value(json::object{}) : block.position},
        {"config", block.config}});
  }
  json::array edges;
  for (const Edge& edge : journey.edges) {
    json::object out{{"source", edge.source}, {"target", edge.target}};
    if (!edge.branch.empty()) out["branch"] = edge.branch;
    edges.push_back(std::move(out));
  }
  return {{"name", journey.name},
          {"status", journey_status_name(journey.status)},
          {"reentry", journey.reenter_every_time ? "every_time" : "once"},
          {"blocks", std::move(blocks)},
          {"edges", std::move(edges)}};
}

}  // namespace hookline::journeys
