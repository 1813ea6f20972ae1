#include "templates/template.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

namespace hookline::templates {
namespace {

namespace json = boost::json;

json::object test_context() {
  return json::parse(R"({
    "contact": {
      "email": "ana@example.com", "first_name": "Ana", "name": "José Ávila",
      "salário": 4200, "score": 1.5, "big": 12345678901234, "vip": true, "churned": false,
      "nickname": null, "blank": "", "tags": ["a", "b"], "address": {"city": "São Paulo"}
    },
    "event": {"name": "signup", "id": "evt_1", "time": "2024-05-01T10:00:00Z"},
    "journey": {"name": "Onboarding"},
    "webhook": {"name": "CRM"}
  })")
      .as_object();
}

Template parse_ok(std::string_view text) {
  auto parsed = Template::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message;
  return parsed ? *parsed : Template();
}

TEST(TemplateParseTest, SplitsLiteralTextAndPlaceholders) {
  const Template t = parse_ok("Hi {{ contact.first_name | default: \"you\" | upcase }}!");
  const std::vector<Segment>& s = t.segments();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_FALSE(s[0].is_placeholder);
  EXPECT_EQ(s[0].text, "Hi ");
  EXPECT_EQ(s[0].position, 0u);
  EXPECT_TRUE(s[1].is_placeholder);
  EXPECT_EQ(s[1].text, "contact.first_name");
  EXPECT_EQ(s[1].position, 3u);
  ASSERT_EQ(s[1].filters.size(), 2u);
  EXPECT_EQ(s[1].filters[0].kind, Filter::Kind::kDefault);
  EXPECT_EQ(s[1].filters[0].argument, "you");
  EXPECT_EQ(s[1].filters[1].kind, Filter::Kind::kUpcase);
  EXPECT_EQ(s[2].text, "!");
  EXPECT_EQ(s[2].position, 53u);
  EXPECT_TRUE(t.has_placeholders());
}

TEST(TemplateParseTest, TextWithoutPlaceholdersIsOneLiteral) {
  const Template t = parse_ok("plain }} text {");
  ASSERT_EQ(t.segments().size(), 1u);
  EXPECT_EQ(t.segments()[0].text, "plain }} text {");
  EXPECT_FALSE(t.has_placeholders());
  EXPECT_TRUE(parse_ok("").segments().empty());
}

TEST(TemplateParseTest, PathKeysMayBeAnyUtf8) {
  const Template t = parse_ok("{{contact.salário}}{{ event.a-b:c\"d }}");
  ASSERT_EQ(t.segments().size(), 2u);
  EXPECT_EQ(t.segments()[0].text, "contact.salário");
  EXPECT_EQ(t.segments()[1].text, "event.a-b:c\"d");
}

TEST(TemplateParseTest, DefaultArgumentKeepsEscapesAndBraces) {
  const Template t = parse_ok(R"({{ x | default: "say \"hi\" \\ }} {{" }})");
  ASSERT_EQ(t.segments().size(), 1u);
  EXPECT_EQ(t.segments()[0].filters.at(0).argument, R"(say "hi" \ }} {{)");
}

struct SyntaxErrorCase {
  std::string text;
  size_t position;
  std::string message;
};

TEST(TemplateParseTest, SyntaxErrorsNameThePosition) {
  const std::vector<SyntaxErrorCase> cases = {
      {"Hi {{ contact.email", 3, "unclosed placeholder starting at position 3"},
      {"Hi {{ contact.email }", 3, "unclosed placeholder starting at position 3"},
      {"{{ a | upcase", 0, "unclosed placeholder starting at position 0"},
      {"{{ a | default: ", 0, "unclosed placeholder starting at position 0"},
      {"{{ a | ", 0, "unclosed placeholder starting at position 0"},
      {"{{", 0, "unclosed placeholder starting at position 0"},
      {"{{ a {{ b }}", 0, "unclosed placeholder starting at position 0"},
      {"ok {{ a }} then {{ b", 16, "unclosed placeholder starting at position 16"},
      {"x {{}}", 2, "empty placeholder at position 2"},
      {"{{  \t }}", 0, "empty placeholder at position 0"},
      {"{{ a | foo }}", 7,
       "unknown filter 'foo' at position 7 (known filters: default, upcase, "
       "downcase)"},
      {"{{ a | Upcase }}", 7,
       "unknown filter 'Upcase' at position 7 (known filters: default, "
       "upcase, downcase)"},
      {"{{ a | }}", 7, "missing filter name after '|' at position 7"},
      {"{{ a || upcase }}", 6, "missing filter name after '|' at position 6"},
      {"{{ | upcase }}", 3, "missing path at position 3"},
      {"{{ a | default }}", 15,
       "missing argument for filter 'default' at position 15 (write default: \"text\")"},
      {"{{ a | default: x }}", 16,
       "the argument of 'default' must be a string in double quotes at position 16"},
      {"{{ a | default: 'x' }}", 16,
       "the argument of 'default' must be a string in double quotes at position 16"},
      {"{{ a | default: \"x }}", 16, "unterminated string starting at position 16"},
      {"{{ a | default: \"x\\", 16, "unterminated string starting at position 16"},
      {"{{ a | default: \"x\\n\" }}", 18,
       "unsupported escape at position 18 (only \\\" and \\\\ are allowed)"},
      {"{{ a | upcase: \"x\" }}", 13, "filter 'upcase' takes no argument at position 13"},
      {"{{ contact..x }}", 11, "empty key in path 'contact..x' at position 11"},
      {"{{ .x }}", 3, "empty key in path '.x' at position 3"},
      {"{{ x. }}", 5, "empty key in path 'x.' at position 5"},
      {"{{ a b }}", 5, "unexpected 'b' at position 5 in placeholder (expected '|' or '}}')"},
      {"{{ a } }}", 5, "unexpected '}' at position 5 in placeholder (expected '|' or '}}')"},
      {"{{ a | upcase x }}", 14,
       "unexpected 'x' at position 14 in placeholder (expected '|' or "
       "'}}')"},
      {"{{{a}}}", 2, "unexpected '{' at position 2 in placeholder (expected '|' or '}}')"},
  };
  for (const SyntaxErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = Template::parse(c.text);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().position, c.position);
    EXPECT_EQ(parsed.error().message, c.message);
  }
}

struct RenderCase {
  std::string text;
  std::string expected;
  std::vector<std::string> warnings;
};

TEST(TemplateRenderTextTest, RendersValuesAsText) {
  const std::vector<RenderCase> cases = {
      {"Hello {{contact.first_name}}", "Hello Ana", {}},
      {"{{   contact.email   }}", "ana@example.com", {}},
      {"{{\tcontact.email\n}}", "ana@example.com", {}},
      {"{{contact.email|upcase}}", "ANA@EXAMPLE.COM", {}},
      {"{{ contact.salário }}", "4200", {}},
      {"{{ contact.score }}", "1.5", {}},
      {"{{ contact.big }}", "12345678901234", {}},
      {"{{ contact.vip }}/{{ contact.churned }}", "true/false", {}},
      {"[{{ contact.nickname }}]", "[]", {}},
      {"{{ contact.tags }}", R"(["a","b"])", {}},
      {"{{ contact.address }}", R"({"city":"São Paulo"})", {}},
      {"{{ contact.address.city }}", "São Paulo", {}},
      {"{{ event.name }} {{ event.id }} {{ event.time }}", "signup evt_1 2024-05-01T10:00:00Z", {}},
      {"{{ journey.name }} via {{ webhook.name }}", "Onboarding via CRM", {}},
      {"a }} b", "a }} b", {}},
      {"no placeholders", "no placeholders", {}},
  };
  const json::object context = test_context();
  for (const RenderCase& c : cases) {
    SCOPED_TRACE(c.text);
    Warnings warnings;
    EXPECT_EQ(parse_ok(c.text).render_text(context, warnings), c.expected);
    EXPECT_EQ(warnings, c.warnings);
  }
}

TEST(TemplateRenderTextTest, FiltersApplyLeftToRight) {
  const std::vector<RenderCase> cases = {
      {"{{ contact.name | upcase }}", "JOSé ÁVILA", {}},  // non-ASCII bytes left intact
      {"{{ contact.name | downcase }}", "josé Ávila", {}},
      {"{{ contact.email | upcase | downcase }}", "ana@example.com", {}},
      {"{{ contact.salary | default: \"n/a\" }}", "n/a", {}},
      {"{{ contact.nickname | default: \"n/a\" }}", "n/a", {}},
      {"{{ contact.blank | default: \"n/a\" }}", "n/a", {}},
      {"{{ contact.first_name | default: \"n/a\" }}", "Ana", {}},
      {"{{ contact.churned | default: \"n/a\" }}", "false", {}},  // false is a value
      {"{{ contact.salary | default: \"n/a\" | upcase }}", "N/A", {}},
      {"{{ contact.salary | upcase | default: \"n/a\" }}", "n/a", {}},
      {"{{ contact.salary | default: \"\" }}", "", {}},
      {"{{ contact.salary | default: \"a\" | default: \"b\" }}", "a", {}},
      {"{{ contact.salário | upcase }}", "4200", {}},  // case filters leave non-strings alone
      {"{{ contact.salary|default:\"x\"|upcase }}", "X", {}},
  };
  const json::object context = test_context();
  for (const RenderCase& c : cases) {
    SCOPED_TRACE(c.text);
    Warnings warnings;
    EXPECT_EQ(parse_ok(c.text).render_text(context, warnings), c.expected);
    EXPECT_EQ(warnings, c.warnings);
  }
}

TEST(TemplateRenderTextTest, MissingValuesRenderEmptyWithAWarning) {
  const std::vector<RenderCase> cases = {
      {"[{{ contact.salary }}]", "[]", {"contact.salary is missing"}},
      {"{{ contact.salary | upcase }}", "", {"contact.salary is missing"}},
      {"{{ contact.email.domain }}", "", {"contact.email.domain is missing"}},
      {"{{ contact.tags.0 }}", "", {"contact.tags.0 is missing"}},
      {"{{ order.id }}", "", {"order.id is missing"}},
      {"{{ a }}{{ b }}{{ a }}", "", {"a is missing", "b is missing"}},
  };
  const json::object context = test_context();
  for (const RenderCase& c : cases) {
    SCOPED_TRACE(c.text);
    Warnings warnings;
    EXPECT_EQ(parse_ok(c.text).render_text(context, warnings), c.expected);
    EXPECT_EQ(warnings, c.warnings);
  }
}

TEST(TemplateRenderTextTest, WarningsAccumulateAcrossRendersWithoutDuplicates) {
  const json::object context = test_context();
  Warnings warnings = {"earlier warning"};
  parse_ok("{{ contact.salary }}").render_text(context, warnings);
  parse_ok("{{ contact.salary }} {{ event.detail }}").render_text(context, warnings);
  EXPECT_EQ(warnings,
            (Warnings{"earlier warning", "contact.salary is missing", "event.detail is missing"}));
}

TEST(TemplateRenderTextTest, RootsRenderAsTheirJson) {
  const json::object context = json::parse(R"({"journey": {"name": "Onboarding"}})").as_object();
  Warnings warnings;
  EXPECT_EQ(parse_ok("{{ journey }}").render_text(context, warnings), R"({"name":"Onboarding"})");
  EXPECT_TRUE(warnings.empty());
}

TEST(TemplateRenderTextTest, NonLatinKeysAndValuesResolve) {
  const json::object context = json::parse(R"({"contact": {"名前": "太郎"}})").as_object();
  Warnings warnings;
  EXPECT_EQ(parse_ok("{{ contact.名前 | upcase }}").render_text(context, warnings), "太郎");
  EXPECT_TRUE(warnings.empty());
}

struct JsonCase {
  std::string text;
  std::string expected_json;
  std::vector<std::string> warnings;
};

TEST(TemplateRenderJsonTest, LonePlaceholderKeepsTheJsonType) {
  const std::vector<JsonCase> cases = {
      {"{{ contact.salário }}", "4200", {}},
      {"{{ contact.score }}", "1.5", {}},
      {"{{ contact.vip }}", "true", {}},
      {"{{ contact.churned }}", "false", {}},
      {"{{ contact.nickname }}", "null", {}},
      {"{{ contact.tags }}", R"(["a","b"])", {}},
      {"{{ contact.address }}", R"({"city":"São Paulo"})", {}},
      {"{{contact.email}}", R"("ana@example.com")", {}},
      {"  {{ contact.salário }}", R"("  4200")", {}},  // literal text around: a string
      {"{{ contact.salário }} ", R"("4200 ")", {}},
      {"{{ contact.salário }}{{ contact.salário }}", R"("42004200")", {}},
      {"{{ contact.vip }}!", R"("true!")", {}},
      {"{{ contact.address }} x", R"("{\"city\":\"São Paulo\"} x")", {}},
      {"{{ contact.salary }}", R"("")", {"contact.salary is missing"}},
      {"{{ contact.salary | default: \"none\" }}", R"("none")", {}},
      {"{{ contact.nickname | default: \"none\" }}", R"("none")", {}},
      {"{{ contact.first_name | upcase }}", R"("ANA")", {}},
      {"{{ contact.salário | upcase }}", "4200", {}},
      {"no placeholders", R"("no placeholders")", {}},
      {"", R"("")", {}},
  };
  const json::object context = test_context();
  for (const JsonCase& c : cases) {
    SCOPED_TRACE(c.text);
    Warnings warnings;
    const json::value value = parse_ok(c.text).render_json(context, warnings);
    EXPECT_EQ(value, json::parse(c.expected_json)) << json::serialize(value);
    EXPECT_EQ(warnings, c.warnings);
  }
}

TEST(TemplateRenderJsonTest, LoneNumberIsStillANumberKind) {
  Warnings warnings;
  const json::value value = parse_ok("{{ contact.big }}").render_json(test_context(), warnings);
  ASSERT_TRUE(value.is_int64());
  EXPECT_EQ(value.as_int64(), 12345678901234);
}

}  // namespace
}  // namespace hookline::templates
