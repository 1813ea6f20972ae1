#include "journeys/response_mapping.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

namespace hookline::journeys {
namespace json = boost::json;

namespace {

// One reference token of a pointer, escaped (RFC 6901: '~' as "~0", '/' as "~1").
void append_token(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (const char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

bool type_matches(const json::value& value, std::string_view type) {
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_bool();
  return true;
}

std::string_view type_of(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return "a string";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    default:
      return "a number";
  }
}

}  // namespace

std::optional<std::string> mapping_pointer(std::string_view from) {
  if (!from.empty() && from.front() == '/') return std::string(from);
  if (from.empty() || from.front() != '$') return std::nullopt;
  std::string pointer;
  std::string_view rest = from.substr(1);
  while (!rest.empty()) {
    if (rest.front() == '.') {
      rest.remove_prefix(1);
      const size_t end = rest.find_first_of(".[");
      const std::string_view name = rest.substr(0, end);
      if (name.empty()) return std::nullopt;
      append_token(pointer, name);
      rest.remove_prefix(name.size());
    } else if (rest.starts_with("['")) {
      const size_t end = rest.find("']", 2);
      if (end == std::string_view::npos || end == 2) return std::nullopt;
      append_token(pointer, rest.substr(2, end - 2));
      rest.remove_prefix(end + 2);
    } else if (rest.front() == '[') {
      const size_t end = rest.find(']');
      const std::string_view index = rest.substr(1, end == std::string_view::npos ? 0 : end - 1);
      if (index.empty() || index.size() > 9) return std::nullopt;
      for (const char c : index) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
      }
      append_token(pointer, index);
      rest.remove_prefix(end + 1);
    } else {
      return std::nullopt;
    }
  }
  if (pointer.empty()) return std::nullopt;  // "$" alone: the whole answer is not a property
  return pointer;
}

bool is_mappable_property(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "email") return false;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  return true;
}

bool is_mapping_type(std::string_view type) {
  return type == "any" || type == "string" || type == "number" || type == "boolean";
}

MappedAnswer map_answer(const std::vector<ResponseMapping>& mappings, std::string_view body) {
  MappedAnswer out;
  if (mappings.empty()) return out;
  boost::system::error_code ec;
  const json::value answer = json::parse(body, ec);
  if (ec || !(answer.is_object() || answer.is_array())) {
    out.errors.push_back(body.empty() ? "the answer has no body to map"
                                      : "the answer is not a JSON object or array");
    return out;
  }
  for (const ResponseMapping& mapping : mappings) {
    boost::system::error_code missing;
    const json::value* found = answer.find_pointer(mapping.pointer, missing);
    if (found == nullptr) {
      out.errors.push_back(mapping.from + ": not in the answer");
      continue;
    }
    if (!type_matches(*found, mapping.type)) {
      out.errors.push_back(mapping.from + ": " + std::string(type_of(*found)) + ", not a " +
                           mapping.type);
      continue;
    }
    out.properties[mapping.to] = *found;
  }
  return out;
}

}  // namespace hookline::journeys
