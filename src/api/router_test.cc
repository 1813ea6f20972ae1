#include "api/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/error_response.h"
#include "api/key_rate_limits.h"
#include "api/request_target.h"
#include "core/utf8.h"

namespace hookline::api {
namespace {

constexpr std::string_view kKey = "Bearer right-key";
constexpr std::string_view kReadKey = "Bearer read-key";
constexpr std::string_view kIngestKey = "Bearer ingest-key";

Caller key_of(std::string name, KeyScope scope) {
  return new_api_key("hk_text", "workspace-1", std::move(name), scope, false, 1000);
}

// The admin key, and two keys of narrower scopes, all of workspace-1.
Result<Caller> authenticate(const std::string& authorization) {
  if (authorization == kKey) return key_of("admin", KeyScope::kAdmin);
  if (authorization == kReadKey) return key_of("ro", KeyScope::kRead);
  if (authorization == kIngestKey) return key_of("app", KeyScope::kIngest);
  return std::unexpected(Error{ErrorCode::kUnauthorized, "a valid API key is needed", {}});
}

ApiResponse text(std::string body) {
  ApiResponse response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// A router with a few routes shaped like the real ones; each answers with what it was given.
class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(authenticate) {
    router_.add("GET", "/healthz", [](ApiRequest&) { return text("ok"); });
    router_.add("GET", "/v1/webhooks", [](ApiRequest&) { return text("webhooks"); });
    router_.add("GET", "/v1/webhooks/{id}", [this](ApiRequest& request) {
      ++handled_;
      return text("webhook " + request.param("id"));
    });
    router_.add_async("POST", "/v1/webhooks/test",
                      [](ApiRequest&, Respond respond) { respond(text("tested")); });
    router_.add(
        "POST", "/v1/events", [](ApiRequest&) { return text("accepted"); }, Access::kIngest);
    router_.add("GET", "/v1/lists/{id}",
                [](ApiRequest& r) { return text("list " + r.param("id")); });
    router_.add("GET", "/v1/lists/{id}/contacts",
                [](ApiRequest& r) { return text("members of " + r.param("id")); });
    router_.add("POST", "/v1/lists/{id}/contacts",
                [](ApiRequest& r) { return text("added to " + r.param("id")); });
    router_.set_fallback([](ApiRequest& request) { return text("ui " + request.path); });
  }

  // What the server does with a request line: parse the raw target, then dispatch.
  ApiResponse send(std::string method, std::string_view target, bool with_key = true) const {
    return send_with(std::move(method), target, with_key ? kKey : "");
  }

  ApiResponse send_with(std::string method, std::string_view target,
                        std::string_view authorization) const {
    auto parsed = parse_request_target(target);
    EXPECT_TRUE(parsed.has_value()) << target;
    ApiRequest request;
    request.method = std::move(method);
    request.path = parsed->path;
    request.segments = parsed->segments;
    request.query = parsed->query;
    request.authorization = std::string(authorization);
    std::optional<ApiResponse> answer;
    router_.dispatch(std::move(request), [&answer](ApiResponse response) {
      EXPECT_FALSE(answer.has_value()) << "answered twice";
      answer = std::move(response);
    });
    EXPECT_TRUE(answer.has_value()) << "not answered";
    return answer.value_or(ApiResponse{});
  }

  static std::string error_code_of(const ApiResponse& response) {
    EXPECT_TRUE(is_valid_utf8(response.body)) << response.body;
    return std::string(
        boost::json::parse(response.body).at("error").at("code").as_string().subview());
  }

  Router router_;
  int handled_ = 0;
};

TEST_F(RouterTest, AnEncodedSlashIsPartOfTheIdNotASeparator) {
  auto slash = send("GET", "/v1/webhooks/%2F");
  EXPECT_EQ(slash.body, "webhook /");  // the store's lookup of "/" is what answers: a 404

  EXPECT_EQ(send("GET", "/v1/lists/L%2Fcontacts%2FC").body, "list L/contacts/C");
  EXPECT_EQ(send("GET", "/v1/lists/L%2Fcontacts").body, "list L/contacts");
  // Not a way to reach the membership route either.
  auto post = send("POST", "/v1/lists/L%2Fcontacts");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(error_code_of(post), "method_not_allowed");
}

TEST_F(RouterTest, SlashesSentStillSeparateAndEmptySegmentsAreIgnored) {
  EXPECT_EQ(send("GET", "/v1/lists/L/contacts").body, "members of L");
  EXPECT_EQ(send("GET", "//v1//webhooks/").body, "webhooks");
  EXPECT_EQ(send("GET", "/v1/webhooks/abc/").body, "webhook abc");
  EXPECT_EQ(send("GET", "/v1/%77ebhooks/a%2Db").body, "webhook a-b");
}

TEST_F(RouterTest, HeadIsAnsweredByTheGetRoute) {
  EXPECT_EQ(send("HEAD", "/healthz", false).body, "ok");
  EXPECT_EQ(send("HEAD", "/v1/webhooks/abc").body, "webhook abc");
  EXPECT_EQ(send("HEAD", "/v1/webhooks/abc", false).status, 401);
  // The web UI too.
  EXPECT_EQ(send("HEAD", "/journeys/x", false).body, "ui /journeys/x");
}

TEST_F(RouterTest, HeadOfARouteWithoutGetIsA405) {
  auto head = send("HEAD", "/v1/events");
  EXPECT_EQ(head.status, 405);
  EXPECT_EQ(error_code_of(head), "method_not_allowed");
  // Where another pattern has a GET, HEAD is that GET, as a GET of the same path would be.
  EXPECT_EQ(send("HEAD", "/v1/webhooks/test").body, "webhook test");
  // Other methods still get no UI page.
  EXPECT_EQ(send("POST", "/journeys/x", false).status, 404);
}

TEST_F(RouterTest, AnIdThatIsNotUtf8IsNotFoundWithoutReachingTheHandler) {
  auto answer = send("GET", "/v1/webhooks/%ff%fe");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_code_of(answer), "not_found");
  EXPECT_EQ(handled_, 0);
  // The key is still checked first: no probing without one.
  EXPECT_EQ(send("GET", "/v1/webhooks/%ff%fe", false).status, 401);
  EXPECT_EQ(send("GET", "/v1/webhooks/sal%C3%A1rio").body, "webhook sal\xC3\xA1rio");
}

TEST_F(RouterTest, ErrorsQuotingABadPathAreValidUtf8) {
  auto answer = send("GET", "/v1/%ff%fe");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_code_of(answer), "not_found");
  EXPECT_NE(answer.body.find("/v1/\xEF\xBF\xBD\xEF\xBF\xBD"), std::string::npos) << answer.body;
}

TEST_F(RouterTest, AKeyOverItsRateLimitGetsA429WithRetryAfterButIngestIsNotCounted) {
  std::vector<std::string> counted;
  router_.set_rate_limit([&counted](const std::string& authorization) -> std::optional<int64_t> {
    counted.push_back(authorization);
    if (counted.size() <= 2) return std::nullopt;
    return 1500;
  });
  EXPECT_EQ(send("GET", "/v1/webhooks").status, 200);
  EXPECT_EQ(send("GET", "/v1/webhooks/w1").status, 200);
  const ApiResponse refused = send("GET", "/v1/webhooks");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(boost::json::parse(refused.body).at("error").at("code"), "rate_limited");
  ASSERT_EQ(refused.headers.size(), 1u);
  EXPECT_EQ(refused.headers[0].first, "Retry-After");
  EXPECT_EQ(refused.headers[0].second, "2");  // 1.5 s, rounded up to what is enough
  // Ingest, public routes and requests without a valid key are not counted.
  EXPECT_EQ(send("POST", "/v1/events").status, 200);
  EXPECT_EQ(send("GET", "/healthz").status, 200);
  EXPECT_EQ(send("GET", "/v1/webhooks", /*with_key=*/false).status, 401);
  EXPECT_EQ(counted.size(), 3u);
  EXPECT_EQ(counted[0], kKey);
}

TEST(KeyRateLimitsTest, EachKeyHasItsOwnSecondOfBurstThenItsRate) {
  KeyRateLimits limits(4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limits.refuse("a", 1000), std::nullopt) << i;
  EXPECT_EQ(limits.refuse("a", 1000), std::optional<int64_t>(250));
  EXPECT_EQ(limits.refuse("b", 1000), std::nullopt);  // another key is not held back
  EXPECT_EQ(limits.refuse("a", 1250), std::nullopt);  // a quarter second refills one
  EXPECT_EQ(limits.refuse("a", 1250), std::optional<int64_t>(250));
  KeyRateLimits off(0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(off.refuse("a", 1000), std::nullopt);
}

TEST(ErrorResponseTest, MessageAndFieldAreMadeValidUtf8) {
  auto response = error_response(Error::validation("name\xC0", "bad \xED\xA0\x80 in \xC3\xA1"));
  ASSERT_TRUE(is_valid_utf8(response.body)) << response.body;
  auto error = boost::json::parse(response.body).at("error");
  EXPECT_EQ(error.at("message").as_string(),
            "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD in \xC3\xA1");
  EXPECT_EQ(error.at("field").as_string(), "name\xEF\xBF\xBD");
  EXPECT_EQ(error.at("code").as_string(), "validation_error");
}

TEST_F(RouterTest, AKeyBeyondItsScopeGetsA403BeforeTheHandlerRuns) {
  EXPECT_EQ(send_with("GET", "/v1/webhooks/w1", kReadKey).body, "webhook w1");
  auto write = send_with("POST", "/v1/lists/L/contacts", kReadKey);
  EXPECT_EQ(write.status, 403);
  EXPECT_EQ(error_code_of(write), "forbidden_scope");

  EXPECT_EQ(send_with("POST", "/v1/events", kIngestKey).body, "accepted");
  auto read = send_with("GET", "/v1/webhooks/w1", kIngestKey);
  EXPECT_EQ(read.status, 403);
  EXPECT_EQ(error_code_of(read), "forbidden_scope");
  EXPECT_EQ(send_with("POST", "/v1/events", kReadKey).status, 403);
  EXPECT_EQ(handled_, 1);
}

TEST_F(RouterTest, TheHandlerSeesWhoCalled) {
  router_.add(
      "GET", "/v1/me",
      [](ApiRequest& request) { return text(request.caller.name + " in " + request.workspace_id); },
      Access::kSelf);
  EXPECT_EQ(send_with("GET", "/v1/me", kIngestKey).body, "app in workspace-1");
}

}  // namespace
}  // namespace hookline::api
