#include "journeys/filters.h"

#include <boost/json/serialize.hpp>
#include <charconv>

namespace hookline::journeys {
namespace json = boost::json;

std::optional<double> as_number(const json::value& value) {
  if (value.is_number()) return value.to_number<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string_view text = value.get_string();
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return number;
}

namespace {

std::string as_text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

bool equal(const json::value& a, const json::value& b) {
  if (a == b) return true;
  auto x = as_number(a);
  auto y = as_number(b);
  if (x && y) return *x == *y;
  if (a.is_bool() || b.is_bool()) return as_text(a) == as_text(b);
  return false;
}

// -1, 0 or 1; numbers when both read as numbers, else text.
int compare(const json::value& a, const json::value& b) {
  auto x = as_number(a);
  auto y = as_number(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  const std::string s = as_text(a);
  const std::string t = as_text(b);
  return s < t ? -1 : (s > t ? 1 : 0);
}

}  // namespace

const json::value* find_path(const json::object& object, std::string_view path) {
  const json::object* at = &object;
  while (true) {
    const size_t dot = path.find('.');
    const json::value* value = at->if_contains(path.substr(0, dot));
    if (value == nullptr || dot == std::string_view::npos) return value;
    if (!value->is_object()) return nullptr;
    at = &value->get_object();
    path.remove_prefix(dot + 1);
  }
}

const json::value* ObjectFields::find(std::string_view path) { return find_path(context_, path); }

bool filter_holds(const Filter& filter, Fields& fields) {
  const json::value* found = fields.find(filter.field);
  const bool present = found != nullptr && !found->is_null();
  if (filter.op == "exists") return present;
  if (filter.op == "neq") return !present || !equal(*found, filter.value);
  if (!present) return false;
  if (filter.op == "eq") return equal(*found, filter.value);
  if (filter.op == "contains") {
    if (found->is_array()) {
      for (const json::value& item : found->get_array()) {
        if (equal(item, filter.value)) return true;
      }
      return false;
    }
    if (found->is_string() && filter.value.is_string()) {  // the usual case, without copies
      return std::string_view(found->get_string()).find(filter.value.get_string()) !=
             std::string_view::npos;
    }
    return as_text(*found).find(as_text(filter.value)) != std::string::npos;
  }
  if (filter.op == "gt") return compare(*found, filter.value) > 0;
  if (filter.op == "lt") return compare(*found, filter.value) < 0;
  return false;
}

bool all_hold(const std::vector<Filter>& filters, Fields& fields) {
  for (const Filter& filter : filters) {
    if (!filter_holds(filter, fields)) return false;
  }
  return true;
}

bool all_hold(const std::vector<Filter>& filters, const json::object& context) {
  ObjectFields fields(context);
  return all_hold(filters, fields);
}

}  // namespace hookline::journeys
