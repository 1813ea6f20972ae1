#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "templates/template.h"

namespace hookline::templates {
namespace {

namespace json = boost::json;

std::expected<std::string, std::string> render(std::string_view url_template,
                                               const json::object& context, Warnings& warnings) {
  auto parsed = Template::parse(url_template);
  if (!parsed) return std::unexpected("syntax error: " + parsed.error().message);
  return render_url(*parsed, context, warnings);
}

// Renders `url_template` with contact.v set to `value`.
std::string render_value(std::string_view url_template, std::string_view value) {
  json::object context;
  context["contact"] = json::object{{"v", value}};
  Warnings warnings;
  auto url = render(url_template, context, warnings);
  EXPECT_TRUE(warnings.empty());
  return url ? *url : "error: " + url.error();
}

struct EncodingCase {
  std::string value;
  std::string expected;  // the encoded value as it appears in the URL
};

void expect_encoded(std::string_view prefix, std::string_view suffix,
                    const std::vector<EncodingCase>& cases) {
  const std::string url_template = std::string(prefix) + "{{ contact.v }}" + std::string(suffix);
  for (const EncodingCase& c : cases) {
    SCOPED_TRACE(url_template + " with " + c.value);
    EXPECT_EQ(render_value(url_template, c.value),
              std::string(prefix) + c.expected + std::string(suffix));
  }
}

TEST(RenderUrlTest, PathValuesStayInOneSegment) {
  expect_encoded("https://api.example.com/users/", "/profile",
                 {
                     {"ana", "ana"},
                     {"a b", "a%20b"},
                     {"a/b", "a%2Fb"},
                     {"a?b", "a%3Fb"},
                     {"a#b", "a%23b"},
                     {"100%", "100%25"},
                     {"São Paulo", "S%C3%A3o%20Paulo"},
                     {"a+b", "a+b"},  // '+' is literal in a path
                     {"a&b=c", "a&b=c"},
                     {"a:b@c", "a:b@c"},
                     {"-._~!$'()*,;", "-._~!$'()*,;"},
                     {"\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D"},
                     {"..", "%2E%2E"},  // a dot segment would climb out of /users/
                     {".", "%2E"},
                     {"...", "..."},
                     {"a.b", "a.b"},
                     {"", ""},
                 });
}

TEST(RenderUrlTest, QueryValuesStayOneParameterValue) {
  expect_encoded("https://api.example.com/search?q=", "&page=1",
                 {
                     {"ana", "ana"},
                     {"a b", "a%20b"},
                     {"a&b", "a%26b"},
                     {"a=b", "a%3Db"},
                     {"a+b", "a%2Bb"},
                     {"a#b", "a%23b"},
                     {"100%", "100%25"},
                     {"São Paulo", "S%C3%A3o%20Paulo"},
                     {"a/b?c", "a/b?c"},
                     {"a:b@c", "a:b@c"},
                     {"-._~!$'()*,;", "-._~!$'()*,;"},
                     {"[x]", "%5Bx%5D"},
                 });
}

TEST(RenderUrlTest, QueryKeysAreEncodedLikeValues) {
  expect_encoded("https://api.example.com/?", "=1", {{"a=b&c", "a%3Db%26c"}, {"a b", "a%20b"}});
}

TEST(RenderUrlTest, FragmentValuesAreEncodedLikeQueryValues) {
  expect_encoded("https://app.example.com/page#", "",
                 {
                     {"a b", "a%20b"},
                     {"a#b", "a%23b"},
                     {"a&b=c", "a%26b%3Dc"},
                     {"a+b", "a%2Bb"},
                     {"São Paulo", "S%C3%A3o%20Paulo"},
                     {"a/b?c", "a/b?c"},
                 });
}

TEST(RenderUrlTest, LiteralTextDecidesThePart) {
  const std::string v = "a/b?c#d e";
  EXPECT_EQ(render_value("https://x.example.com?q={{contact.v}}", v),
            "https://x.example.com?q=a/b?c%23d%20e");
  EXPECT_EQ(render_value("https://x.example.com#{{contact.v}}", v),
            "https://x.example.com#a/b?c%23d%20e");
  EXPECT_EQ(render_value("https://x.example.com/p#frag?{{contact.v}}", v),
            "https://x.example.com/p#frag?a/b?c%23d%20e");
  EXPECT_EQ(render_value("https://x.example.com/p?a=1/{{contact.v}}", v),
            "https://x.example.com/p?a=1/a/b?c%23d%20e");
  EXPECT_EQ(render_value("https://user@x.example.com:8080/{{contact.v}}", v),
            "https://user@x.example.com:8080/a%2Fb%3Fc%23d%20e");
  // A '?' or '#' inside a value does not move later placeholders out of the path.
  EXPECT_EQ(render_value("https://x.example.com/{{contact.v}}/{{contact.v}}", v),
            "https://x.example.com/a%2Fb%3Fc%23d%20e/a%2Fb%3Fc%23d%20e");
}

TEST(RenderUrlTest, RendersValuesOfEveryKindAndFilters) {
  const json::object context = json::parse(R"({
    "contact": {"id": 42, "vip": true, "tags": ["a"], "name": "José", "nickname": null},
    "event": {"name": "order.paid"},
    "webhook": {"name": "CRM"}
  })")
                                   .as_object();
  Warnings warnings;
  EXPECT_EQ(render("https://x.example.com/c/{{ contact.id }}?vip={{contact.vip}}&t={{contact.tags}}"
                   "&n={{ contact.name | upcase }}&e={{ event.name }}&k={{ contact.nickname }}",
                   context, warnings),
            "https://x.example.com/c/42?vip=true&t=%5B%22a%22%5D&n=JOS%C3%A9&e=order.paid&k=");
  EXPECT_TRUE(warnings.empty());
}

TEST(RenderUrlTest, MissingValuesRenderEmptyWithAWarning) {
  const json::object context = json::parse(R"({"contact": {"email": "a@b.c"}})").as_object();
  Warnings warnings;
  EXPECT_EQ(render("https://x.example.com/u/{{ contact.salary }}?e={{ contact.email }}", context,
                   warnings),
            "https://x.example.com/u/?e=a@b.c");
  EXPECT_EQ(warnings, Warnings{"contact.salary is missing"});

  warnings.clear();
  EXPECT_EQ(
      render("https://x.example.com/u/{{ contact.salary | default: \"a b\" }}", context, warnings),
      "https://x.example.com/u/a%20b");
  EXPECT_TRUE(warnings.empty());
}

TEST(RenderUrlTest, SchemeIsCaseInsensitive) {
  EXPECT_EQ(render_value("HTTPS://x.example.com/{{contact.v}}", "a"), "HTTPS://x.example.com/a");
  EXPECT_EQ(render_value("Http://x.example.com/{{contact.v}}", "a"), "Http://x.example.com/a");
}

struct UrlErrorCase {
  std::string url_template;
  std::string error;
};

const std::string kNotAbsolute =
    "the URL is not a valid absolute URL (expected http:// or https:// and a host)";

std::string authority_error(size_t position) {
  return "placeholder at position " + std::to_string(position) +
         " is in the scheme, user, host or port of the URL; placeholders may only appear in the "
         "path, "
         "query or fragment";
}

// A placeholder in the scheme, userinfo, host or port is refused: data must not choose where a
// delivery goes.
const std::vector<UrlErrorCase> kUrlErrorCases = {
    {"https://{{contact.v}}.example.com/", authority_error(8)},
    {"https://x.example.com:{{contact.v}}/", authority_error(22)},
    {"https://x.example.com{{contact.v}}", authority_error(21)},
    {"https://{{contact.v}}@x.example.com/", authority_error(8)},
    {"{{contact.v}}://x.example.com/", "the URL must use http or https, not 'x'"},
    {"http{{contact.v}}://x.example.com/", "the URL must use http or https, not 'httpx'"},
    {"{{ webhook.url }}", kNotAbsolute},
    {"ftp://x.example.com/{{contact.v}}", "the URL must use http or https, not 'ftp'"},
    {"mailto:{{contact.v}}", "the URL must use http or https, not 'mailto'"},
    {"javascript:alert({{contact.v}})", "the URL must use http or https, not 'javascript'"},
    {"/users/{{contact.v}}", kNotAbsolute},
    {"x.example.com/users/{{contact.v}}", kNotAbsolute},
    {"//x.example.com/{{contact.v}}", kNotAbsolute},
    {"https:///path/{{contact.v}}", "the URL has no host"},
    {"https:x.example.com/{{contact.v}}", "the URL has no host"},
    {"https://x.example.com/a b/{{contact.v}}", kNotAbsolute},
    {"", kNotAbsolute},
};

TEST(RenderUrlTest, RefusesUrlsThatAreNotAbsoluteHttpWithFixedHost) {
  for (const UrlErrorCase& c : kUrlErrorCases) {
    SCOPED_TRACE(c.url_template);
    EXPECT_EQ(render_value(c.url_template, "x"), "error: " + c.error);
  }
}

TEST(CheckUrlTemplateTest, AcceptsAbsoluteHttpUrls) {
  for (const char* text : {"https://x.example.com/users/{{ contact.id }}?e={{contact.email}}",
                           "http://x.example.com", "HTTP://x.example.com/#{{ event.id }}",
                           "https://x.example.com/{{ contact.salário | default: \"0\" }}",
                           "https://127.0.0.1:8080/{{ a }}", "https://[::1]/{{ a }}"}) {
    SCOPED_TRACE(text);
    const auto checked = check_url_template(text);
    EXPECT_TRUE(checked.has_value()) << checked.error().message;
  }
}

TEST(CheckUrlTemplateTest, ReportsSyntaxErrorsAtTheirPosition) {
  const auto checked = check_url_template("https://x.example.com/{{ contact.id | bogus }}");
  ASSERT_FALSE(checked.has_value());
  EXPECT_EQ(checked.error().position, 38u);
  EXPECT_EQ(checked.error().message,
            "unknown filter 'bogus' at position 38 (known filters: default, upcase, downcase)");
}

TEST(CheckUrlTemplateTest, ReportsUrlProblemsAtPositionZeroAndHostPlaceholdersWhereTheyAre) {
  for (const UrlErrorCase& c : kUrlErrorCases) {
    SCOPED_TRACE(c.url_template);
    const auto checked = check_url_template(c.url_template);
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().message, c.error);
    const size_t placeholder = c.url_template.find("{{");
    EXPECT_EQ(checked.error().position,
              c.error.starts_with("placeholder at position") ? placeholder : 0u);
  }
}

}  // namespace
}  // namespace hookline::templates
