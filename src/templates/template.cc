#include "templates/template.h"

#include <algorithm>
#include <boost/json/string.hpp>
#include <optional>
#include <utility>

#include "templates/placeholder.h"

namespace hookline::templates {
namespace {

namespace json = boost::json;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Keys may hold any UTF-8 ("salário") but the characters that delimit paths and placeholders.
// '{' is refused too, so that "{{ a {{ b }}" reads as an unclosed placeholder, not a key "{{".
bool is_path_char(char c) { return !is_space(c) && c != '|' && c != '{' && c != '}'; }

bool is_filter_name_char(char c) { return is_path_char(c) && c != '.' && c != ':' && c != '"'; }

std::string at(size_t position) { return " at position " + std::to_string(position); }

// Reads one placeholder, from its "{{" to its "}}". Errors point at the byte where the problem
// starts, except for an unclosed placeholder, which points at its "{{".
class PlaceholderParser {
 public:
  PlaceholderParser(std::string_view text, size_t open)
      : text_(text), open_(open), pos_(open + 2) {}

  std::expected<Segment, SyntaxError> parse() {
    Segment segment;
    segment.is_placeholder = true;
    segment.position = open_;
    skip_space();
    if (starts_with("}}")) return fail(open_, "empty placeholder" + at(open_));
    auto path = parse_path();
    if (!path) return std::unexpected(path.error());
    segment.text = std::move(*path);
    for (;;) {
      skip_space();
      if (starts_with("}}")) {
        pos_ += 2;
        return segment;
      }
      if (pos_ >= text_.size() || text_[pos_] != '|') return unexpected_here();
      ++pos_;
      auto filter = parse_filter();
      if (!filter) return std::unexpected(filter.error());
      segment.filters.push_back(std::move(*filter));
    }
  }

  // The offset just past the placeholder's "}}", once parse() succeeded.
  size_t end() const { return pos_; }

 private:
  std::expected<std::string, SyntaxError> parse_path() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_path_char(text_[pos_])) ++pos_;
    const std::string_view path = text_.substr(start, pos_ - start);
    if (path.empty()) {
      if (pos_ < text_.size() && text_[pos_] == '|') return fail(pos_, "missing path" + at(pos_));
      return unexpected_here();
    }
    // An empty key ("contact..x", ".x", "x.") can never name anything: refuse it at save time.
    size_t key_start = 0;
    for (;;) {
      const size_t dot = path.find('.', key_start);
      if (dot == key_start || key_start == path.size()) {
        return fail(start + key_start,
                    "empty key in path '" + std::string(path) + "'" + at(start + key_start));
      }
      if (dot == std::string_view::npos) return std::string(path);
      key_start = dot + 1;
    }
  }

  std::expected<Filter, SyntaxError> parse_filter() {
    skip_space();
    const size_t start = pos_;
    while (pos_ < text_.size() && is_filter_name_char(text_[pos_])) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) {
      if (pos_ >= text_.size() || starts_with("{{")) return unclosed();
      return fail(pos_, "missing filter name after '|'" + at(pos_));
    }
    if (name == "default") return parse_default_argument();
    Filter filter{.kind = Filter::Kind::kUpcase, .argument = {}};
    if (name == "downcase") {
      filter.kind = Filter::Kind::kDowncase;
    } else if (name != "upcase") {
      return fail(start, "unknown filter '" + std::string(name) + "'" + at(start) +
                             " (known filters: default, upcase, downcase)");
    }
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ':') {
      return fail(pos_, "filter '" + std::string(name) + "' takes no argument" + at(pos_));
    }
    return filter;
  }

  // default: "text", with \" and \\ as the only escapes.
  std::expected<Filter, SyntaxError> parse_default_argument() {
    skip_space();
    if (pos_ >= text_.size()) return unclosed();
    if (text_[pos_] != ':') {
      return fail(
          pos_, "missing argument for filter 'default'" + at(pos_) + " (write default: \"text\")");
    }
    ++pos_;
    skip_space();
    if (pos_ >= text_.size()) return unclosed();
    if (text_[pos_] != '"') {
      return fail(pos_, "the argument of 'default' must be a string in double quotes" + at(pos_));
    }
    const size_t quote = pos_++;
    Filter filter{.kind = Filter::Kind::kDefault, .argument = {}};
    for (;;) {
      if (pos_ >= text_.size()) return fail(quote, "unterminated string starting" + at(quote));
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return filter;
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) {
          return fail(quote, "unterminated string starting" + at(quote));
        }
        const char escaped = text_[pos_ + 1];
        if (escaped != '"' && escaped != '\\') {
          return fail(pos_, "unsupported escape" + at(pos_) + " (only \\\" and \\\\ are allowed)");
        }
        filter.argument += escaped;
        pos_ += 2;
        continue;
      }
      filter.argument += c;
      ++pos_;
    }
  }

  // Called where only '|' or "}}" may come.
  std::unexpected<SyntaxError> unexpected_here() const {
    // With no "}}" ahead, the likelier mistake is a missing brace, not a stray character.
    if (starts_with("{{") || text_.find("}}", pos_) == std::string_view::npos) return unclosed();
    const char c = text_[pos_];
    const std::string what =
        c > ' ' && c < 0x7f ? "unexpected '" + std::string(1, c) + "'" : "unexpected character";
    return fail(pos_, what + at(pos_) + " in placeholder (expected '|' or '}}')");
  }

  std::unexpected<SyntaxError> unclosed() const {
    return fail(open_, "unclosed placeholder starting" + at(open_));
  }

  static std::unexpected<SyntaxError> fail(size_t position, std::string message) {
    return std::unexpected(SyntaxError{.position = position, .message = std::move(message)});
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  bool starts_with(std::string_view s) const { return text_.substr(pos_).starts_with(s); }

  std::string_view text_;
  size_t open_;  // offset of the placeholder's "{{"
  size_t pos_;   // next byte to read
};

}  // namespace

std::expected<Template, SyntaxError> Template::parse(std::string_view text) {
  Template parsed;
  size_t pos = 0;
  while (pos < text.size()) {
    // A "}}" outside a placeholder is ordinary text; only "{{" opens something.
    const size_t open = std::min(text.find("{{", pos), text.size());
    if (open > pos) {
      Segment literal;
      literal.text = text.substr(pos, open - pos);
      literal.position = pos;
      parsed.segments_.push_back(std::move(literal));
    }
    if (open == text.size()) break;
    PlaceholderParser parser(text, open);
    auto placeholder = parser.parse();
    if (!placeholder) return std::unexpected(std::move(placeholder.error()));
    parsed.segments_.push_back(std::move(*placeholder));
    pos = parser.end();
  }
  return parsed;
}

bool Template::has_placeholders() const {
  return std::ranges::any_of(segments_, &Segment::is_placeholder);
}

std::string Template::render_text(const json::object& context, Warnings& warnings) const {
  std::string out;
  for (const Segment& segment : segments_) {
    out += segment.is_placeholder ? placeholder_text(segment, context, warnings) : segment.text;
  }
  return out;
}

json::value Template::render_json(const json::object& context, Warnings& warnings) const {
  if (segments_.size() == 1 && segments_.front().is_placeholder) {
    std::optional<json::value> value = resolve_placeholder(segments_.front(), context, warnings);
    return value ? std::move(*value) : json::value(json::string());
  }
  return json::string(render_text(context, warnings));
}

}  // namespace hookline::templates
