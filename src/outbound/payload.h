#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/contact.h"
#include "core/event.h"
#include "templates/template.h"

namespace hookline::outbound {

// A journey call adds data.journey to the body (SPEC 3).
struct JourneyRef {
  std::string id;
  std::string name;
  std::string block_id;
};

// The contact as the receiver sees it: id, email, names, mobile, then every property.
boost::json::object contact_to_payload(const Contact& contact);

// What placeholders can name: contact.*, event.{id,name,time,<detail>}, webhook.name, journey.name.
boost::json::object template_context(const Event& event, const boost::json::object& contact,
                                     const std::string& webhook_name,
                                     const std::optional<JourneyRef>& journey);

// The body of SPEC 3, with custom_data rendered from the webhook's custom payload when it has one.
// Rendered once per delivery: every retry sends these same bytes. `contact` is null for an event
// about no contact (is_about_contact): the body says "contact": null.
std::string build_body(const Event& event, const boost::json::object* contact,
                       const std::optional<boost::json::object>& custom_payload,
                       const std::optional<JourneyRef>& journey, const boost::json::object& context,
                       templates::Warnings& warnings);

}  // namespace hookline::outbound
