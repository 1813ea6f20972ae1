#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/contact.h"
#include "core/event.h"
#include "journeys/filters.h"

namespace hookline::ingest {

// What trigger filters and field conditions read: "event_details.*" straight from the event,
// "event.*" ({id, name, time}) and "contact.*" (the contact as webhook payloads show it) built on
// first use. Most filters read event_details only, so testing an event against every journey that
// listens to its name copies nothing.
class EventFields final : public journeys::Fields {
 public:
  // Both must outlive this object.
  EventFields(const Event& event, const Contact& contact) : event_(event), contact_(&contact) {}

  const boost::json::value* find(std::string_view path) override;

  // A journey block changed the contact: later lookups read this one.
  void contact_changed(const Contact& contact);

 private:
  const Event& event_;
  const Contact* contact_;
  std::optional<boost::json::object> event_meta_;
  std::optional<boost::json::object> contact_payload_;
};

}  // namespace hookline::ingest
