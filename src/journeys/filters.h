#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "core/journey.h"

namespace hookline::journeys {

// Where filters find the values they test, by field path ("event_details.campaign_name",
// "contact.country", "event.name"). An implementation may build parts only when a filter asks.
class Fields {
 public:
  virtual ~Fields() = default;
  // The value at `path`, or null when there is none.
  virtual const boost::json::value* find(std::string_view path) = 0;
};

// Fields read from one object with "event" ({id, name, time}), "event_details" and "contact",
// following the path key by key.
class ObjectFields final : public Fields {
 public:
  explicit ObjectFields(const boost::json::object& context) : context_(context) {}
  const boost::json::value* find(std::string_view path) override;

 private:
  const boost::json::object& context_;
};

// A number, or text that reads as one ("42", "1.5"), as filters compare them; else nothing.
std::optional<double> as_number(const boost::json::value& value);

// The value at a dotted path inside `object`, key by key; null when a key is missing.
const boost::json::value* find_path(const boost::json::object& object, std::string_view path);

// Whether `filter` holds. eq/neq compare JSON values, numbers and numeric text as numbers;
// contains is a substring test on text or membership in an array; gt/lt compare numbers, else
// text; exists means present and not null. A missing field fails every op but neq.
bool filter_holds(const Filter& filter, Fields& fields);

// All filters hold (none is true).
bool all_hold(const std::vector<Filter>& filters, Fields& fields);
bool all_hold(const std::vector<Filter>& filters, const boost::json::object& context);

}  // namespace hookline::journeys
