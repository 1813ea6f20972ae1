#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/scheme.hpp>
#include <optional>
#include <vector>

#include "templates/placeholder.h"
#include "templates/template.h"

namespace hookline::templates {
namespace {

namespace urls = boost::urls;

// Where a placeholder lands. Only the literal text of the template moves from one part to the
// next: a substituted value is encoded for its part, so it can never open a query or a fragment.
enum class UrlPart { kAuthority, kPath, kQuery, kFragment };

// The characters a substituted value keeps as they are; everything else is percent-encoded
// (as UTF-8 bytes for non-ASCII text).
//
// Path: one segment's characters (RFC 3986 pchar), so '/', '?', '#', '%' and spaces are encoded
// and the value stays within its segment.
constexpr auto kPathValueChars = urls::pchars;
// A value that is a whole dot segment would climb the path ("/users/.." -> "/"): its dots are
// encoded.
constexpr auto kDotSegmentChars = urls::pchars - '.';
// Query: a query's characters less those that split or reshape parameters: '&' and '=' separate
// them, '+' reads as a space in form encoding. The value stays one parameter's key or value.
constexpr auto kQueryValueChars = urls::pchars + '/' + '?' - '&' - '=' - '+';
// Fragment: the same set as the query, since single-page apps often put parameters there.
constexpr auto kFragmentValueChars = kQueryValueChars;

std::string encode_for(UrlPart part, std::string_view value) {
  switch (part) {
    case UrlPart::kPath:
      if (value == "." || value == "..") return urls::encode(value, kDotSegmentChars);
      return urls::encode(value, kPathValueChars);
    case UrlPart::kQuery:
      return urls::encode(value, kQueryValueChars);
    case UrlPart::kFragment:
      return urls::encode(value, kFragmentValueChars);
    case UrlPart::kAuthority:
      break;
  }
  return std::string(value);  // not reached: authority placeholders are refused before rendering
}

// Moves `part` along the characters of literal text. The authority ends at the first '/', '?' or
// '#' after "://"; until "://" is seen everything is scheme or authority.
void advance(UrlPart& part, bool& seen_scheme_end, std::string_view literal) {
  size_t pos = 0;
  if (part == UrlPart::kAuthority && !seen_scheme_end) {
    pos = literal.find("://");
    if (pos == std::string_view::npos) return;
    seen_scheme_end = true;
    pos += 3;
  }
  while (part != UrlPart::kFragment) {
    const char* ends = part == UrlPart::kAuthority ? "/?#" : part == UrlPart::kPath ? "?#" : "#";
    pos = literal.find_first_of(ends, pos);
    if (pos == std::string_view::npos) return;
    const char c = literal[pos++];
    part = c == '/' ? UrlPart::kPath : c == '?' ? UrlPart::kQuery : UrlPart::kFragment;
  }
}

// The part each segment lands in (meaningful for placeholders only), parallel to segments().
std::vector<UrlPart> url_parts(const Template& url) {
  std::vector<UrlPart> parts;
  UrlPart part = UrlPart::kAuthority;
  bool seen_scheme_end = false;
  for (const Segment& segment : url.segments()) {
    parts.push_back(part);
    if (!segment.is_placeholder) advance(part, seen_scheme_end, segment.text);
  }
  return parts;
}

// Why `url` is not an absolute http or https URL with a host, or nullopt when it is one.
std::optional<std::string> url_problem(std::string_view url) {
  // parse_uri, not parse_absolute_uri: the latter refuses a fragment, which is legal here (it is
  // simply not sent). Both require a scheme, so a relative reference is refused.
  const auto parsed = urls::parse_uri(url);
  if (!parsed) {
    return "the URL is not a valid absolute URL (expected http:// or https:// and a host)";
  }
  if (parsed->scheme_id() != urls::scheme::http && parsed->scheme_id() != urls::scheme::https) {
    return "the URL must use http or https, not '" + std::string(parsed->scheme()) + "'";
  }
  if (!parsed->has_authority() || parsed->encoded_host().empty()) return "the URL has no host";
  return std::nullopt;
}

// The checks that do not depend on the values: the shape of the URL (with "x" for each
// placeholder, position 0), then that no placeholder sits in the scheme, user, host or port. A
// value there would let contact or event data choose where a delivery goes, past the checks made on
// the URL when the webhook is saved; so the destination is fixed by the literal text.
std::expected<void, SyntaxError> check_shape(const Template& url) {
  std::string sample;
  for (const Segment& segment : url.segments()) {
    sample += segment.is_placeholder ? "x" : segment.text;
  }
  if (auto problem = url_problem(sample)) {
    return std::unexpected(SyntaxError{.position = 0, .message = std::move(*problem)});
  }
  const std::vector<UrlPart> parts = url_parts(url);
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = url.segments()[i];
    if (segment.is_placeholder && parts[i] == UrlPart::kAuthority) {
      return std::unexpected(SyntaxError{
          .position = segment.position,
          .message =
              "placeholder at position " + std::to_string(segment.position) +
              " is in the scheme, user, host or port of the URL; placeholders may only appear in "
              "the path, query or fragment"});
    }
  }
  return {};
}

}  // namespace

std::expected<std::string, std::string> render_url(const Template& url,
                                                   const boost::json::object& context,
                                                   Warnings& warnings) {
  if (auto shape = check_shape(url); !shape) {
    return std::unexpected(std::move(shape.error().message));
  }
  const std::vector<UrlPart> parts = url_parts(url);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = url.segments()[i];
    out += segment.is_placeholder
               ? encode_for(parts[i], placeholder_text(segment, context, warnings))
               : segment.text;
  }
  // Encoded values cannot change the URL's structure, so this holds whenever check_shape did; it
  // is checked again because a bad URL must never reach the HTTP client.
  if (auto problem = url_problem(out)) return std::unexpected(std::move(*problem));
  return out;
}

std::expected<void, SyntaxError> check_url_template(std::string_view text) {
  auto url = Template::parse(text);
  if (!url) return std::unexpected(std::move(url.error()));
  return check_shape(*url);
}

}  // namespace hookline::templates
