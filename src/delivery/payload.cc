#include "delivery/payload.h"

#include <boost/json/serialize.hpp>

namespace hookline::delivery {
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

std::string build_body(const Event& event, const json::object& contact,
                       const std::optional<json::object>& custom_payload,
                       const std::optional<JourneyRef>& journey, const json::object& context,
                       templates::Warnings& warnings) {
  json::object data{{"contact", contact}, {"event_details", event.details}};
  if (custom_payload) {
    json::object custom_data;
    for (const auto& [key, value] : *custom_payload) {
      if (!value.is_string()) {
        custom_data[key] = value;
        continue;
      }
      // Templates were checked when the webhook was saved; one that no longer parses is sent as
      // text.
      auto parsed = templates::Template::parse(value.get_string());
      custom_data[key] = parsed ? parsed->render_json(context, warnings) : value;
    }
    data["custom_data"] = std::move(custom_data);
  }
  if (journey) {
    data["journey"] =
        json::object{{"id", journey->id}, {"name", journey->name}, {"block_id", journey->block_id}};
  }
  const json::object body{{"id", event.id},
                          {"event", event.name},
                          {"event_category", event_category(event.name)},
                          {"event_type", event_type(event.name)},
                          {"event_time", event.time_ms},
                          {"data", std::move(data)}};
  return json::serialize(body);
}

}  // namespace hookline::delivery
