#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/contact.h"
#include "core/event.h"
#include "journeys/filters.h"

namespace hookline::ingest {

// What trigger filters and field conditions read, as webhook payloads show it:
// "event_details.*" and "contact.*" (its fixed fields, then its properties) read in place,
// "event.*" ({id, name, time}) built on first use. Testing an event against every journey that
// listens to its name copies nothing but the few values a filter asks for.
class EventFields final : public journeys::Fields {
 public:
  // Both must outlive this object.
  EventFields(const Event& event, const Contact& contact) : event_(event), contact_(&contact) {}

  const boost::json::value* find(std::string_view path) override;

  // A journey block changed the contact: later lookups read this one.
  void contact_changed(const Contact& contact);

 private:
  const boost::json::value* contact_field(std::string_view path);

  const Event& event_;
  const Contact* contact_;
  std::optional<boost::json::object> event_meta_;
  // The contact's fixed fields as JSON, each made when first asked for (id, email, first_name,
  // last_name, mobile).
  std::array<std::optional<boost::json::value>, 5> fixed_;
};

}  // namespace hookline::ingest
