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

// The events Hookline emits about a webhook it disabled itself (its receiver answered 410 Gone, or
// failed for days), or that a self-healing probe enabled again: about a workspace, not a contact.
inline constexpr std::string_view kWebhookDisabled = "webhook.disabled";
inline constexpr std::string_view kWebhookRecovered = "webhook.recovered";

// "system" for the names the service emits or knows from the host app, "custom" for the rest.
std::string_view event_category(std::string_view name);
// False for the events about no contact (kWebhookDisabled, kWebhookRecovered): their payload's
// contact is null, and no journey can start from them.
bool is_about_contact(std::string_view name);
// The display group: Contact, List, Email, Form, Webhook or Custom.
std::string_view event_type(std::string_view name);

}  // namespace hookline
