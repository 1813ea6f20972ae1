#include "ingest/event_fields.h"

namespace hookline::ingest {
namespace json = boost::json;

namespace {

// The fixed fields of a contact in payload order (outbound::contact_to_payload): a property of the
// same name never hides them.
constexpr std::array<std::string_view, 5> kFixedFields = {"id", "email", "first_name", "last_name",
                                                          "mobile"};

const std::string& fixed_value(const Contact& contact, size_t i) {
  switch (i) {
    case 0:
      return contact.id;
    case 1:
      return contact.email;
    case 2:
      return contact.first_name;
    case 3:
      return contact.last_name;
    default:
      return contact.mobile;
  }
}

}  // namespace

const json::value* EventFields::find(std::string_view path) {
  // Validation allows only these three prefixes, each followed by a key.
  const size_t dot = path.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string_view root = path.substr(0, dot);
  const std::string_view rest = path.substr(dot + 1);
  if (root == "event_details") return journeys::find_path(event_.details, rest);
  if (root == "contact") return contact_field(rest);
  if (root == "event") {
    if (!event_meta_) {
      event_meta_ =
          json::object{{"id", event_.id}, {"name", event_.name}, {"time", event_.time_ms}};
    }
    return journeys::find_path(*event_meta_, rest);
  }
  return nullptr;
}

const json::value* EventFields::contact_field(std::string_view path) {
  const std::string_view key = path.substr(0, path.find('.'));
  for (size_t i = 0; i < kFixedFields.size(); ++i) {
    if (key != kFixedFields[i]) continue;
    if (key.size() != path.size()) return nullptr;  // text has no fields of its own
    if (!fixed_[i]) fixed_[i] = json::value(fixed_value(*contact_, i));
    return &*fixed_[i];
  }
  return journeys::find_path(contact_->properties, path);
}

void EventFields::contact_changed(const Contact& contact) {
  contact_ = &contact;
  fixed_ = {};
}

}  // namespace hookline::ingest
