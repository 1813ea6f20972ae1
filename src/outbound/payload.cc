#include "outbound/payload.h"

#include <boost/json/serialize.hpp>

namespace hookline::outbound {
namespace json = boost::json;

json::object contact_to_payload(const Contact& contact) {
  json::object out{{"id", contact.id},
                   {"email", contact.email},
                   {"first_name", contact.first_name},
                   {"last_name", contact.last_name},
                   {"mobile", contact.mobile}};
  // Properties come after the fixed fields and never replace them.
  for (const auto& [key, value] : contact.properties) {
    if (!out.contains(key)) out[key] = value;
  }
  return out;
}

json::object template_context(const Event& event, const json::object& contact,
                              const std::string& webhook_name,
                              const std::optional<JourneyRef>& journey) {
  json::object event_context = event.details;
  event_context["id"] = event.id;
  event_context["name"] = event.name;
  event_context["time"] = event.time_ms;
  json::object context{{"contact", contact},
                       {"event", std::move(event_context)},
                       {"webhook", json::object{{"name", webhook_name}}}};
  if (journey) {
    context["journey"] = json::object{{"id", journey->id}, {"name", journey->name}};
  }
  return context;
}

namespace {

json::object render_custom_data(const json::object& custom_payload, const json::object& context,
                                templates::Warnings& warnings) {
  json::object custom_data;
  for (const auto& [key, value] : custom_payload) {
    if (!value.is_string()) {
      custom_data[key] = value;
      continue;
    }
    // Templates were checked when the webhook was saved; one that no longer parses is sent as
    // text.
    auto parsed = templates::Template::parse(value.get_string());
    custom_data[key] = parsed ? parsed->render_json(context, warnings) : value;
  }
  return custom_data;
}

// `"key":` then `json`, after a comma unless it opens its object.
void append_member(std::string& out, std::string_view key, std::string_view json) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += key;
  out += "\":";
  out += json;
}

}  // namespace

// Written member by member rather than built as one object and serialized: the contact and the
// event's details are the bulk of every body, and copying them into a tree first doubled the
// cost of a delivery on the store's writer thread. The bytes are those serialize() gives for the
// same object, which is what body_splice relies on to find the details inside the body.
std::string build_body(const Event& event, const json::object* contact,
                       const std::optional<json::object>& custom_payload,
                       const std::optional<JourneyRef>& journey, const json::object& context,
                       templates::Warnings& warnings) {
  const std::string contact_json = contact != nullptr ? json::serialize(*contact) : "null";
  const std::string details_json = json::serialize(event.details);
  std::string out;
  out.reserve(contact_json.size() + details_json.size() + event.id.size() + 2 * event.name.size() +
              160);
  out += '{';
  append_member(out, "id", json::serialize(json::string_view(event.id)));
  append_member(out, "event", json::serialize(json::string_view(event.name)));
  append_member(out, "event_category",
                json::serialize(json::string_view(event_category(event.name))));
  append_member(out, "event_type", json::serialize(json::string_view(event_type(event.name))));
  append_member(out, "event_time", std::to_string(event.time_ms));
  append_member(out, "data", "{");
  append_member(out, "contact", contact_json);
  append_member(out, "event_details", details_json);
  if (custom_payload) {
    append_member(out, "custom_data",
                  json::serialize(render_custom_data(*custom_payload, context, warnings)));
  }
  if (journey) {
    append_member(
        out, "journey",
        json::serialize(json::object{
            {"id", journey->id}, {"name", journey->name}, {"block_id", journey->block_id}}));
  }
  out += "}}";
  return out;
}

}  // namespace hookline::outbound
