#include "api/json/contact_json.h"

#include <algorithm>

#include "api/json/body_reader.h"

namespace hookline::api {
namespace json = boost::json;

Result<std::string> normalize_email(std::string_view email, const std::string& field) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
    email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
    email.remove_suffix(1);
  const size_t at = email.find('@');
  const bool plausible = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                         email.find('@', at + 1) == std::string_view::npos && email.size() <= 254 &&
                         std::ranges::none_of(email, [](char c) {
                           return std::isspace(static_cast<unsigned char>(c)) || c == '\0';
                         });
  if (!plausible) {
    return std::unexpected(
        Error::validation(field, field + " must be an email address like name@example.com"));
  }
  std::string out(email);
  std::ranges::transform(out, out.begin(),
                         [](char c) { return std::tolower(static_cast<unsigned char>(c)); });
  return out;
}

Result<void> read_contact_fields(const json::object& body, Contact& contact, bool email_optional) {
  FieldReader fields(body);
  if (!email_optional && !fields.has("email")) {
    return std::unexpected(Error::validation("email", "email is required"));
  }
  auto email = fields.optional_string("email", 254);
  if (!email) return std::unexpected(email.error());
  if (email->has_value()) {
    auto normalized = normalize_email(**email, "email");
    if (!normalized) return std::unexpected(normalized.error());
    contact.email = std::move(*normalized);
  }
  for (auto [key, target] :
       {std::pair{"first_name", &contact.first_name}, std::pair{"last_name", &contact.last_name},
        std::pair{"mobile", &contact.mobile}}) {
    auto value = fields.optional_string(key, 200);
    if (!value) return std::unexpected(value.error());
    if (value->has_value()) *target = std::move(**value);
  }
  auto properties = fields.optional_data("properties");
  if (!properties) return std::unexpected(properties.error());
  if (*properties != nullptr) {
    for (const auto& [key, value] : **properties) {
      if (key.empty())
        return std::unexpected(Error::validation("properties", "a property name is empty"));
      if (value.is_null()) {
        contact.properties.erase(key);
      } else {
        contact.properties[key] = value;
      }
    }
  }
  return {};
}

json::object contact_to_json(const Contact& contact) {
  return {{"id", contact.id},
          {"email", contact.email},
          {"first_name", contact.first_name},
          {"last_name", contact.last_name},
          {"mobile", contact.mobile},
          {"properties", contact.properties},
          {"created_at", contact.created_at},
          {"updated_at", contact.updated_at}};
}

json::object list_to_json(const ContactList& list) {
  return {{"id", list.id},
          {"name", list.name},
          {"member_count", list.member_count},
          {"created_at", list.created_at}};
}

}  // namespace hookline::api
