#include "ingest/event_fields.h"

#include "delivery/payload.h"

namespace hookline::ingest {
namespace json = boost::json;

const json::value* EventFields::find(std::string_view path) {
  // Validation allows only these three prefixes, each followed by a key.
  const size_t dot = path.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string_view root = path.substr(0, dot);
  const std::string_view rest = path.substr(dot + 1);
  if (root == "event_details") return journeys::find_path(event_.details, rest);
  if (root == "event") {
    if (!event_meta_) {
      event_meta_ =
          json::object{{"id", event_.id}, {"name", event_.name}, {"time", event_.time_ms}};
    }
    return journeys::find_path(*event_meta_, rest);
  }
  if (root == "contact") {
    if (!contact_payload_) contact_payload_ = delivery::contact_to_payload(*contact_);
    return journeys::find_path(*contact_payload_, rest);
  }
  return nullptr;
}

void EventFields::contact_changed(const Contact& contact) {
  contact_ = &contact;
  contact_payload_.reset();
}

}  // namespace hookline::ingest
