#include "outbound/request_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "outbound/signature.h"

namespace hookline::outbound {
namespace {
namespace json = boost::json;

Webhook billing() {
  Webhook webhook;
  webhook.id = "wh_1";
  webhook.spec.name = "Billing";
  webhook.spec.method = "POST";
  webhook.spec.url = "https://billing.example.com/hooks";
  webhook.spec.timeout_ms = 7000;
  webhook.spec.auth = BasicAuth{"ana", "s3cret"};
  webhook.spec.headers = {{"X-Shop", "loja-1"}};
  webhook.secret = new_signing_secret();
  return webhook;
}

std::string header(const OutboundRequest& request, std::string_view name) {
  const auto it =
      std::ranges::find_if(request.headers, [&](const auto& h) { return h.first == name; });
  return it == request.headers.end() ? "<none>" : it->second;
}

TEST(RequestBuilderTest, HeaderValuesOutsideAsciiAreSentPercentEncoded) {
  Webhook webhook = billing();
  webhook.spec.headers = {{"X-Journey", "{{journey.name}}"},
                          {"X-Plain", "100% ok"},
                          {"X-Both", "50% {{journey.name}}"}};
  const json::object context{{"journey", json::object{{"name", "Welcome \u2192 CRM"}}}};
  templates::Warnings warnings;
  auto request = build_request(webhook, "m1", 1700000000, "{}", context, warnings);
  ASSERT_TRUE(request);
  EXPECT_EQ(header(*request, "X-Journey"), "Welcome %E2%86%92 CRM");
  EXPECT_EQ(header(*request, "X-Plain"), "100% ok");  // ASCII goes as it is
  // Once encoded, "%" is too: the value decodes back exactly.
  EXPECT_EQ(header(*request, "X-Both"), "50%25 Welcome %E2%86%92 CRM");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("X-Journey"), std::string::npos);
}

TEST(RequestBuilderTest, ACompiledWebhookBuildsTheSameSignedRequestForEveryTry) {
  const Webhook webhook = billing();
  const CompiledWebhook compiled = CompiledWebhook::compile(webhook);
  EXPECT_FALSE(compiled.needs_context());
  templates::Warnings warnings;
  for (int i = 0; i < 3; ++i) {
    const std::string id = "msg_" + std::to_string(i);
    auto request = compiled.request(id, 1700000000, R"({"n":1})", json::object{}, warnings);
    ASSERT_TRUE(request.has_value()) << request.error().message;
    EXPECT_EQ(request->url, "https://billing.example.com/hooks");
    EXPECT_EQ(request->total_timeout, std::chrono::milliseconds(7000));
    EXPECT_EQ(header(*request, "Authorization"), "Basic YW5hOnMzY3JldA==");
    EXPECT_EQ(header(*request, "X-Shop"), "loja-1");
    EXPECT_EQ(header(*request, "webhook-id"), id);
    EXPECT_EQ(header(*request, "webhook-signature"),
              *sign(webhook.secret, id, 1700000000, R"({"n":1})"));
    // The one-off path gives the very same request.
    auto once = build_request(webhook, id, 1700000000, R"({"n":1})", json::object{}, warnings);
    ASSERT_TRUE(once.has_value());
    EXPECT_EQ(once->headers, request->headers);
  }
  EXPECT_TRUE(warnings.empty());
}

TEST(RequestBuilderTest, PlaceholdersInTheUrlOrAHeaderNeedTheContext) {
  Webhook in_url = billing();
  in_url.spec.url = "https://billing.example.com/c/{{contact.id}}";
  const CompiledWebhook url_compiled = CompiledWebhook::compile(in_url);
  EXPECT_TRUE(url_compiled.needs_context());
  templates::Warnings warnings;
  const json::object context{{"contact", json::object{{"id", "a b"}, {"email", "x@y.z"}}}};
  auto request = url_compiled.request("m", 1, "{}", context, warnings);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->url, "https://billing.example.com/c/a%20b");

  Webhook in_header = billing();
  in_header.spec.headers = {{"X-Email", "{{contact.email}}"}, {"X-Missing", "{{contact.nope}}"}};
  const CompiledWebhook header_compiled = CompiledWebhook::compile(in_header);
  EXPECT_TRUE(header_compiled.needs_context());
  request = header_compiled.request("m", 1, "{}", context, warnings);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(header(*request, "X-Email"), "x@y.z");
  EXPECT_EQ(header(*request, "X-Missing"), "");
  EXPECT_EQ(warnings.size(), 1U);
}

TEST(RequestBuilderTest, WhatCannotBeUsedFailsEveryRequestNotTheCompile) {
  Webhook bad_url = billing();
  bad_url.spec.url = "https://x.example.com/{{unclosed";
  templates::Warnings ignored;
  auto request = CompiledWebhook::compile(bad_url).request("m", 1, "{}", json::object{}, ignored);
  ASSERT_FALSE(request.has_value());
  EXPECT_EQ(request.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(request.error().field, "url");

  // A URL without placeholders is rendered once, when compiled; one that is not absolute
  // http(s) still fails every request, on the same field.
  Webhook fixed_bad_url = billing();
  fixed_bad_url.spec.url = "ftp://files.example.com/in";
  const CompiledWebhook fixed = CompiledWebhook::compile(fixed_bad_url);
  for (int i = 0; i < 2; ++i) {
    request = fixed.request("m", 1, "{}", json::object{}, ignored);
    ASSERT_FALSE(request.has_value());
    EXPECT_EQ(request.error().code, ErrorCode::kUnprocessable);
    EXPECT_EQ(request.error().field, "url");
  }

  Webhook bad_secret = billing();
  bad_secret.secret = "whsec_";
  templates::Warnings warnings;
  request = CompiledWebhook::compile(bad_secret).request("m", 1, "{}", json::object{}, warnings);
  ASSERT_FALSE(request.has_value());
  EXPECT_EQ(request.error().code, ErrorCode::kInternal);
}

TEST(RequestBuilderTest, DuringARotationBothSecretsSignUntilTheOldOneExpires) {
  Webhook webhook = billing();
  webhook.previous_secret = new_signing_secret();
  webhook.previous_secret_expires_at = 2'000'000;  // ms
  const CompiledWebhook compiled = CompiledWebhook::compile(webhook);
  templates::Warnings warnings;
  auto before = compiled.request("m", 1'999, "{}", json::object{}, warnings);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(header(*before, "webhook-signature"),
            *sign(webhook.secret, "m", 1'999, "{}") + " " +
                *sign(webhook.previous_secret, "m", 1'999, "{}"));
  auto after = compiled.request("m", 2'000, "{}", json::object{}, warnings);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(header(*after, "webhook-signature"), *sign(webhook.secret, "m", 2'000, "{}"));
}

TEST(RequestBuilderTest, MaskedHeadersHideCredentialsAndKeepTheRest) {
  Webhook webhook = billing();
  webhook.spec.headers = {{"X-Shop", "loja-1"}, {"X-Api-Key", "k-123"}};
  templates::Warnings warnings;
  auto request = build_request(webhook, "m1", 1700000000, R"({"n":1})", json::object{}, warnings);
  ASSERT_TRUE(request.has_value());
  const auto masked = masked_headers(request->headers, webhook);
  ASSERT_EQ(masked.size(), request->headers.size());
  OutboundRequest shown;
  shown.headers = masked;
  EXPECT_EQ(header(shown, "Authorization"), "Basic ****");
  EXPECT_EQ(header(shown, "X-Api-Key"), "****");
  EXPECT_EQ(header(shown, "X-Shop"), "loja-1");
  // Signatures are meant to be seen.
  EXPECT_EQ(header(shown, "webhook-signature"), header(*request, "webhook-signature"));
  // The whole request, masked alike, for the Test button's report.
  EXPECT_EQ(masked_for_display(*request, webhook).headers, masked);
  EXPECT_EQ(masked_for_display(*request, webhook).body, request->body);

  webhook.spec.auth = TokenAuth{"tok-1", "X-Token", "Token"};
  request = build_request(webhook, "m1", 1700000000, "{}", json::object{}, warnings);
  ASSERT_TRUE(request.has_value());
  shown.headers = masked_headers(request->headers, webhook);
  EXPECT_EQ(header(shown, "X-Token"), "Token ****");
}

}  // namespace
}  // namespace hookline::outbound
