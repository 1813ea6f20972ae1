#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookline {

// Something that happened to a contact (SPEC 2).
struct Event {
  std::string id;    // UUID
  std::string name;  // "list.add_contact"
  int64_t time_ms = 0;
  boost::json::object details;
};

// "system" for the names the service emits or knows from the host app, "custom" for the rest.
std::string_view event_category(std::string_view name);
// The display group: Contact, List, Email, Form or Custom.
std::string_view event_type(std::string_view name);

}  // namespace hookline
