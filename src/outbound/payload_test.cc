#include "outbound/payload.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace hookline::outbound {
namespace {
namespace json = boost::json;

const Event kEvent{"7c076336-6072-4be3-a86f-b7255dbd0d63", "email.click", 1563186327795,
                   json::object{{"campaign_name", "Black \"Friday\" \u2192 50%"},
                                {"items", json::array{1, 2.5, nullptr, true}},
                                {"nested", json::object{{"k", "v"}}}}};
const json::object kContact{
    {"id", "200"}, {"email", "a@example.com"}, {"first_name", "Zoë"}, {"idade", 12}};

// The body as the receiver sees it (SPEC 3), spelled out as one object: what the written-out
// body must equal byte for byte, since every try and the stored body splice rely on these bytes.
json::object expected_body(const json::object& data) {
  return json::object{
      {"id", kEvent.id},       {"event", kEvent.name},         {"event_category", "system"},
      {"event_type", "Email"}, {"event_time", kEvent.time_ms}, {"data", data}};
}

TEST(PayloadTest, BodyIsTheSerializedPayloadByteForByte) {
  templates::Warnings warnings;
  const std::string body =
      build_body(kEvent, &kContact, std::nullopt, std::nullopt, json::object{}, warnings);
  EXPECT_EQ(body, json::serialize(expected_body(
                      json::object{{"contact", kContact}, {"event_details", kEvent.details}})));
  EXPECT_TRUE(warnings.empty());
}

TEST(PayloadTest, CustomDataAndJourneyFollowTheDetails) {
  const JourneyRef journey{"j_1", "Welcome \u2192 CRM", "w"};
  const json::object context = template_context(kEvent, kContact, "CRM", journey);
  templates::Warnings warnings;
  const std::string body = build_body(
      kEvent, &kContact,
      json::object{{"email", "{{contact.email}}"}, {"n", 3}, {"missing", "{{contact.nope}}"}},
      journey, context, warnings);
  const json::object data{
      {"contact", kContact},
      {"event_details", kEvent.details},
      {"custom_data", json::object{{"email", "a@example.com"}, {"n", 3}, {"missing", ""}}},
      {"journey", json::object{{"id", "j_1"}, {"name", "Welcome \u2192 CRM"}, {"block_id", "w"}}}};
  EXPECT_EQ(body, json::serialize(expected_body(data)));
  EXPECT_EQ(warnings.size(), 1U);
}

TEST(PayloadTest, EmptyContactAndDetailsStillMakeValidJson) {
  const Event bare{"e1", "contact.create", 0, json::object{}};
  templates::Warnings warnings;
  const json::object empty;
  const std::string body =
      build_body(bare, &empty, std::nullopt, std::nullopt, json::object{}, warnings);
  EXPECT_EQ(
      body,
      R"({"id":"e1","event":"contact.create","event_category":"system","event_type":"Contact",)"
      R"("event_time":0,"data":{"contact":{},"event_details":{}}})");
  EXPECT_TRUE(json::parse(body).is_object());
}

TEST(PayloadTest, AnEventAboutNoContactSaysContactNull) {
  const Event news{"e2", "webhook.disabled", 5, json::object{{"webhook_id", "wh_1"}}};
  templates::Warnings warnings;
  const std::string body =
      build_body(news, nullptr, std::nullopt, std::nullopt, json::object{}, warnings);
  EXPECT_EQ(
      body,
      R"({"id":"e2","event":"webhook.disabled","event_category":"system","event_type":"Webhook",)"
      R"("event_time":5,"data":{"contact":null,"event_details":{"webhook_id":"wh_1"}}})");
}

}  // namespace
}  // namespace hookline::outbound
