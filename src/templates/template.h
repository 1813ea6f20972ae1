#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::templates {

// Placeholder templates of SPEC section 4: "{{ contact.email | default: \"x\" | upcase }}".
//
// A context is a JSON object whose top-level keys are the roots a placeholder may name:
// "contact", "event", "journey", "webhook". A path is resolved key by key from the root
// ("contact.salário" -> context["contact"]["salário"]).

struct SyntaxError {
  size_t position = 0;  // byte offset into the template text where the problem starts
  std::string message;  // e.g. "unclosed placeholder", "unknown filter 'foo'"
};

struct Filter {
  enum class Kind { kDefault, kUpcase, kDowncase };
  Kind kind;
  std::string argument;  // the fallback text of `default`
};

// One piece of a parsed template: literal text, or a placeholder.
struct Segment {
  bool is_placeholder = false;
  std::string text;  // the literal text, or the dotted path of the placeholder
  std::vector<Filter> filters;
  size_t position = 0;  // byte offset of the segment in the source text
};

// Values a render could not find: rendered empty, reported as warnings ("contact.salary is
// missing").
using Warnings = std::vector<std::string>;

class Template {
 public:
  static std::expected<Template, SyntaxError> parse(std::string_view text);

  const std::vector<Segment>& segments() const { return segments_; }
  bool has_placeholders() const;

  // Plain text: header values. Non-string values are rendered as their JSON text (numbers, true).
  std::string render_text(const boost::json::object& context, Warnings& warnings) const;

  // A JSON value for the custom payload: a template that is exactly one placeholder keeps the JSON
  // type of what it names (a number stays a number); anything else gives a string.
  boost::json::value render_json(const boost::json::object& context, Warnings& warnings) const;

 private:
  std::vector<Segment> segments_;
};

// Renders a URL template, percent-encoding each substituted value for the part of the URL it lands
// in (path segment, query, fragment). The result must be an absolute http or https URL; otherwise
// the error says why.
std::expected<std::string, std::string> render_url(const Template& url,
                                                   const boost::json::object& context,
                                                   Warnings& warnings);

// Checks a URL template at save time: it parses, and rendering it with every placeholder replaced
// by a sample value gives an absolute http/https URL. Returns the problem as a SyntaxError.
std::expected<void, SyntaxError> check_url_template(std::string_view text);

}  // namespace hookline::templates
