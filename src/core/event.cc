#include "core/event.h"

#include <algorithm>
#include <array>

namespace hookline {
namespace {

constexpr std::array<std::string_view, 13> kSystemEvents = {
    "contact.create", "contact.update", "contact.delete", "list.add_contact", "list.remove_contact",
    "email.send",     "email.open",     "email.click",    "email.bounce",     "email.unsubscribe",
    "form.submit",    kWebhookDisabled, kWebhookRecovered};

}  // namespace

bool is_about_contact(std::string_view name) {
  return name != kWebhookDisabled && name != kWebhookRecovered;
}

std::string_view event_category(std::string_view name) {
  return std::ranges::find(kSystemEvents, name) != kSystemEvents.end() ? "system" : "custom";
}

std::string_view event_type(std::string_view name) {
  if (event_category(name) == "custom") return "Custom";
  if (name.starts_with("contact.")) return "Contact";
  if (name.starts_with("list.")) return "List";
  if (name.starts_with("email.")) return "Email";
  if (name.starts_with("webhook.")) return "Webhook";
  return "Form";
}

}  // namespace hookline
