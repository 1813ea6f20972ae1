#include "templates/placeholder.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <string_view>
#include <system_error>

namespace hookline::templates {
namespace {

namespace json = boost::json;

// Walks the dotted path key by key through nested objects. Anything that is not an object on the
// way (an array, a string) ends the walk: the path names nothing.
const json::value* lookup(std::string_view path, const json::object& context) {
  const json::object* object = &context;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    const json::value* value = object->if_contains(path.substr(start, dot - start));
    if (value == nullptr || dot == std::string_view::npos) return value;
    object = value->if_object();
    if (object == nullptr) return nullptr;
    start = dot + 1;
  }
}

bool is_blank(const json::value& value) {
  return value.is_null() || (value.is_string() && value.get_string().empty());
}

// ASCII only: bytes of multi-byte UTF-8 sequences are >= 0x80 and left alone, so the text stays
// valid UTF-8 ("josé" -> "JOSé").
void map_case(json::string& text, bool upper) {
  for (char& c : text) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

void add_warning(Warnings& warnings, std::string warning) {
  // The same missing value used in several places (URL and a header) is one thing to fix.
  if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) {
    warnings.push_back(std::move(warning));
  }
}

}  // namespace

std::optional<json::value> resolve_placeholder(const Segment& placeholder,
                                               const json::object& context, Warnings& warnings) {
  std::optional<json::value> value;
  if (const json::value* found = lookup(placeholder.text, context)) value = *found;
  for (const Filter& filter : placeholder.filters) {
    switch (filter.kind) {
      case Filter::Kind::kDefault:
        if (!value || is_blank(*value)) value = json::string(filter.argument);
        break;
      case Filter::Kind::kUpcase:
      case Filter::Kind::kDowncase:
        // Case belongs to text; numbers, booleans and structures pass through unchanged.
        if (value && value->is_string()) {
          map_case(value->get_string(), filter.kind == Filter::Kind::kUpcase);
        }
        break;
    }
  }
  if (!value) add_warning(warnings, placeholder.text + " is missing");
  return value;
}

std::string value_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return {};
  if (value.is_double()) {
    // Boost.JSON writes doubles as "1.5E0"; in a header or a URL people expect "1.5".
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
    if (ec == std::errc()) return std::string(buffer, end);
  }
  return json::serialize(value);
}

std::string placeholder_text(const Segment& placeholder, const json::object& context,
                             Warnings& warnings) {
  const std::optional<json::value> value = resolve_placeholder(placeholder, context, warnings);
  return value ? value_text(*value) : std::string();
}

}  // namespace hookline::templates
