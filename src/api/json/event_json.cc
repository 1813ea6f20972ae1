#include "api/json/event_json.h"

#include <algorithm>
#include <cctype>

#include "api/json/body_reader.h"
#include "api/json/contact_json.h"
#include "core/header_rules.h"
#include "core/ids.h"

namespace hookline::api {

Result<ingest::EventInput> parse_event(const boost::json::object& body, const std::string& prefix) {
  FieldReader fields(body, prefix);
  ingest::EventInput input;
  input.field = prefix;

  auto id = fields.optional_string("id", 100);
  if (!id) return std::unexpected(id.error());
  if (id->has_value()) {
    if (!is_uuid(**id)) {
      return std::unexpected(
          Error::validation(fields.path("id"), fields.path("id") + " must be a UUID"));
    }
    // One event, however the client cases its id: idempotency compares lower-case ids.
    input.id = std::move(**id);
    std::ranges::transform(input.id, input.id.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }

  auto name = fields.required_string("event", 100);
  if (!name) return std::unexpected(name.error());
  if (!is_event_name(*name)) {
    return std::unexpected(Error::validation(
        fields.path("event"),
        fields.path("event") +
            " must be an event name like email.click ([a-z0-9_] segments joined by dots)"));
  }
  input.name = std::move(*name);

  auto contact = fields.optional_object("contact");
  if (!contact) return std::unexpected(contact.error());
  auto contact_id = fields.optional_string("contact_id", 100);
  if (!contact_id) return std::unexpected(contact_id.error());
  if ((*contact == nullptr) == !contact_id->has_value()) {
    return std::unexpected(Error::validation(fields.path("contact"),
                                             "give either contact (with an email) or contact_id"));
  }
  if (*contact != nullptr) {
    Contact by_email;
    if (auto read = read_contact_fields(**contact, by_email, /*email_optional=*/false); !read) {
      Error error = read.error();
      error.field = fields.path("contact." + error.field);
      return std::unexpected(std::move(error));
    }
    input.contact.by_email = std::move(by_email);
  } else {
    input.contact.id = std::move(**contact_id);
  }

  auto details = fields.optional_data("event_details");
  if (!details) return std::unexpected(details.error());
  if (*details != nullptr) input.details = **details;

  auto time = fields.optional_int("event_time");
  if (!time) return std::unexpected(time.error());
  if (time->has_value()) {
    if (**time < 0) {
      return std::unexpected(Error::validation(fields.path("event_time"),
                                               "event_time must be milliseconds since the epoch"));
    }
    input.time_ms = **time;
  }
  return input;
}

}  // namespace hookline::api
