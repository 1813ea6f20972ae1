#include "delivery/attempt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <utility>
#include <vector>

#include "outbound/payload.h"
#include "outbound/signature.h"

namespace hookline::delivery {
namespace {
namespace json = boost::json;

using std::chrono::milliseconds;

TEST(AttemptTest, ContextIsRebuiltFromTheStoredBody) {
  const Event event{"7c076336-6072-4be3-a86f-b7255dbd0d63", "email.click", 1563186327795,
                    json::object{{"campaign_name", "Sample"}}};
  const json::object contact{{"id", "200"}, {"email", "a@example.com"}, {"idade", 12}};
  const outbound::JourneyRef journey{"j_1", "Sample clicks", "w"};
  templates::Warnings warnings;
  const json::object original = outbound::template_context(event, contact, "Billing", journey);
  const std::string body = outbound::build_body(
      event, &contact, json::object{{"n", "{{contact.email}}"}}, journey, original, warnings);

  const auto rebuilt = context_from_body(body, "Billing");
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error().message;
  EXPECT_EQ(*rebuilt, original);
}

TEST(AttemptTest, BodyThatIsNotAJsonObjectHasNoContext) {
  for (std::string_view body : {"", "[1]", "{oops", "\"text\""}) {
    const auto context = context_from_body(body, "Billing");
    ASSERT_FALSE(context.has_value()) << body;
    EXPECT_EQ(context.error().code, ErrorCode::kInternal);
  }
}

TEST(AttemptTest, PreparedRequestIsSignedWithTheDeliveryIdAndConnectTimeout) {
  Webhook webhook;
  webhook.id = "wh_1";
  webhook.spec.url = "https://example.com/hook";
  webhook.spec.timeout_ms = 7000;
  webhook.secret = outbound::new_signing_secret();
  Delivery delivery;
  delivery.id = "01a21d69-6f9e-7f00-bd55-e8ad4ad1bce2";
  delivery.body = R"({"id":"e1","event":"contact.create","event_time":1,"data":{"contact":{}}})";
  templates::Warnings warnings;
  const auto request = prepare_request(outbound::CompiledWebhook::compile(webhook), delivery.id,
                                       delivery.body, 1700000000123, warnings);
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->connect_timeout, kConnectTimeout);
  EXPECT_EQ(request->total_timeout, milliseconds(7000));
  EXPECT_EQ(request->body, delivery.body);
  const auto has = [&](std::string_view name, const std::string& value) {
    return std::find(request->headers.begin(), request->headers.end(),
                     std::pair<std::string, std::string>(name, value)) != request->headers.end();
  };
  EXPECT_TRUE(has("webhook-id", delivery.id));
  EXPECT_TRUE(has("webhook-timestamp", "1700000000"));
  EXPECT_TRUE(has("webhook-signature",
                  outbound::sign(webhook.secret, delivery.id, 1700000000, delivery.body).value()));
}

TEST(AttemptTest, HeadersJsonKeepsRepeatedValues) {
  EXPECT_EQ(headers_json({{"A", "1"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}}),
            R"({"A":"1","Set-Cookie":"a=1, b=2"})");
  EXPECT_EQ(headers_json({}), "{}");
}

Attempt started_attempt() {
  Delivery delivery;
  delivery.id = "d_1";
  delivery.attempts = 2;
  outbound::OutboundRequest sent;
  sent.method = "PUT";
  sent.url = "https://example.com/x";
  sent.headers = {{"Authorization", "Bearer secret"}};
  return attempt_started(delivery, sent, {{"Authorization", "Bearer ****"}}, 1000);
}

TEST(AttemptTest, StartedAttemptIsNumberedAfterTheDeliverysTries) {
  const Attempt attempt = started_attempt();
  EXPECT_EQ(attempt.delivery_id, "d_1");
  EXPECT_EQ(attempt.number, 3);
  EXPECT_EQ(attempt.started_at, 1000);
  EXPECT_EQ(attempt.request_method, "PUT");
  EXPECT_EQ(attempt.request_url, "https://example.com/x");
  EXPECT_EQ(attempt.request_headers, R"({"Authorization":"Bearer ****"})");
}

TEST(AttemptTest, FinishedAttemptFollowsTheOutcome) {
  outbound::OutboundResult ok;
  ok.response = outbound::OutboundResponse{204, {}, "", false};
  ok.duration = std::chrono::microseconds(12500);
  AttemptRecord record =
      attempt_finished(started_attempt(), ok, {Classification::kSuccess, {}}, std::nullopt);
  EXPECT_EQ(record.status, DeliveryStatus::kSucceeded);
  EXPECT_EQ(record.attempt.duration_ms, 12);
  EXPECT_EQ(record.attempt.response_status, 204);

  outbound::OutboundResult timeout;
  timeout.error = outbound::TransportError::kTimeout;
  timeout.error_message = "Operation timed out";
  record = attempt_finished(started_attempt(), timeout, {Classification::kRetry, {}}, 99000);
  EXPECT_EQ(record.status, DeliveryStatus::kRetrying);
  EXPECT_EQ(record.next_attempt_at, 99000);
  EXPECT_EQ(record.attempt.error_code, "timeout");
  EXPECT_EQ(record.attempt.error_message, "Operation timed out");
  EXPECT_FALSE(record.attempt.response_status.has_value());
  EXPECT_TRUE(record.attempt.response_headers.empty());

  record = attempt_finished(started_attempt(), timeout, {Classification::kRetry, {}}, std::nullopt);
  EXPECT_EQ(record.status, DeliveryStatus::kDead);
}

TEST(AttemptTest, FinishedAttemptKeepsTheFirst4KiBOnAUtf8Boundary) {
  outbound::OutboundResult result;
  result.response =
      outbound::OutboundResponse{500, {}, std::string(4095, 'a') + "\xC3\xA9" + "zz", false};
  AttemptRecord record =
      attempt_finished(started_attempt(), result, {Classification::kRetry, {}}, 1);
  EXPECT_EQ(record.attempt.response_body, std::string(4095, 'a'));

  result.response->body = std::string(5000, 'b');
  record = attempt_finished(started_attempt(), result, {Classification::kRetry, {}}, 1);
  EXPECT_EQ(record.attempt.response_body, std::string(4096, 'b'));

  result.response->body = std::string(5000, '\x80');  // not UTF-8: cut at the limit
  record = attempt_finished(started_attempt(), result, {Classification::kRetry, {}}, 1);
  EXPECT_EQ(record.attempt.response_body.size(), 4096u);
}

TEST(AttemptTest, OnlyASuccessLongerThanTheExcerptCarriesItsWholeAnswer) {
  const std::string long_body = "{\"pad\":\"" + std::string(6000, 'p') + "\",\"score\":7}";
  outbound::OutboundResult result;
  result.response = outbound::OutboundResponse{200, {}, long_body, false};
  AttemptRecord record =
      attempt_finished(started_attempt(), result, {Classification::kSuccess, {}}, std::nullopt);
  EXPECT_EQ(record.attempt.response_body, long_body.substr(0, 4096));
  EXPECT_EQ(record.answer, long_body);

  result.response->body = "{\"score\":7}";
  record =
      attempt_finished(started_attempt(), result, {Classification::kSuccess, {}}, std::nullopt);
  EXPECT_EQ(record.attempt.response_body, "{\"score\":7}");
  EXPECT_TRUE(record.answer.empty()) << "the excerpt is the whole answer already";

  result.response = outbound::OutboundResponse{500, {}, long_body, false};
  record = attempt_finished(started_attempt(), result, {Classification::kRetry, {}}, 1);
  EXPECT_TRUE(record.answer.empty()) << "a failure's answer is never mapped";
}

TEST(AttemptTest, NotSentAttemptIsDead) {
  Delivery delivery;
  delivery.id = "d_1";
  const AttemptRecord record =
      attempt_not_sent(delivery, "POST", "{{x}}", "invalid_request", "url: empty", 5000);
  EXPECT_EQ(record.status, DeliveryStatus::kDead);
  EXPECT_EQ(record.attempt.number, 1);
  EXPECT_EQ(record.attempt.started_at, 5000);
  EXPECT_EQ(record.attempt.error_code, "invalid_request");
  EXPECT_EQ(record.attempt.request_headers, "{}");
}

}  // namespace
}  // namespace hookline::delivery
