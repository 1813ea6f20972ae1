#include "core/filter.h"

namespace hookline {
namespace json = boost::json;
namespace {

bool is_filter_op(std::string_view op) {
  return op == "eq" || op == "neq" || op == "contains" || op == "exists" || op == "gt" ||
         op == "lt";
}

}  // namespace

Result<Filter> read_filter(const json::value& json) {
  if (!json.is_object())
    return std::unexpected(Error::validation("", "each filter must be an object"));
  const json::object& object = json.get_object();
  Filter filter;
  const json::value* field = object.if_contains("field");
  if (field == nullptr || !field->is_string() || field->get_string().empty()) {
    return std::unexpected(Error::validation("field", "a filter needs a field"));
  }
  filter.field = std::string(field->get_string());
  if (!filter.field.starts_with("event_details.") && !filter.field.starts_with("contact.") &&
      !filter.field.starts_with("event.")) {
    return std::unexpected(Error::validation(
        "field", "filter field must start with event_details., event. or contact."));
  }
  const json::value* op = object.if_contains("op");
  if (op == nullptr || !op->is_string() || !is_filter_op(op->get_string())) {
    return std::unexpected(
        Error::validation("op", "filter op must be eq, neq, contains, exists, gt or lt"));
  }
  filter.op = std::string(op->get_string());
  const json::value* value = object.if_contains("value");
  if (filter.op != "exists" && value == nullptr) {
    return std::unexpected(Error::validation("value", "filter op " + filter.op + " needs a value"));
  }
  if (value != nullptr) filter.value = *value;
  return filter;
}

json::object filter_to_json(const Filter& filter) {
  json::object out{{"field", filter.field}, {"op", filter.op}};
  if (filter.op != "exists" || !filter.value.is_null()) out["value"] = filter.value;
  return out;
}

}  // namespace hookline
