#include "api/request_target.h"

#include <gtest/gtest.h>

namespace hookline::api {
namespace {

using Segments = std::vector<std::string>;

Segments segments_of(std::string_view target) {
  auto parsed = parse_request_target(target);
  EXPECT_TRUE(parsed.has_value()) << target;
  return parsed ? parsed->segments : Segments{};
}

TEST(RequestTargetTest, AnEncodedSlashStaysInsideItsSegment) {
  EXPECT_EQ(segments_of("/v1/webhooks/%2F"), (Segments{"v1", "webhooks", "/"}));
  EXPECT_EQ(segments_of("/v1/lists/L%2Fcontacts%2FC"), (Segments{"v1", "lists", "L/contacts/C"}));
  EXPECT_EQ(segments_of("/v1/lists/L%2fcontacts"), (Segments{"v1", "lists", "L/contacts"}));
}

TEST(RequestTargetTest, EachSegmentIsDecoded) {
  EXPECT_EQ(segments_of("/v1/%77ebhooks/a%20b"), (Segments{"v1", "webhooks", "a b"}));
  EXPECT_EQ(segments_of("/v1/sal%C3%A1rio"), (Segments{"v1", "sal\xC3\xA1rio"}));
  // Bytes are decoded as sent; whether they are text is for the router to judge.
  EXPECT_EQ(segments_of("/v1/webhooks/%ff%fe"), (Segments{"v1", "webhooks", "\xFF\xFE"}));
}

TEST(RequestTargetTest, EmptySegmentsAreLeftOut) {
  EXPECT_EQ(segments_of("/"), Segments{});
  EXPECT_EQ(segments_of("//v1//webhooks/"), (Segments{"v1", "webhooks"}));
  EXPECT_EQ(segments_of("/v1/webhooks/?limit=5"), (Segments{"v1", "webhooks"}));
}

TEST(RequestTargetTest, PathIsDecodedWholeAndQueryByParameter) {
  auto parsed = parse_request_target("/v1/lists/L%2Fcontacts?email=a%40example.com&limit=5");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->path, "/v1/lists/L/contacts");
  EXPECT_EQ(parsed->query.at("email"), "a@example.com");
  EXPECT_EQ(parsed->query.at("limit"), "5");
}

TEST(RequestTargetTest, ATargetThatIsNotOriginFormIsRefused) {
  for (std::string_view target : {"http://example.com/v1", "*", "v1/webhooks", "/a b", "/%zz"}) {
    auto parsed = parse_request_target(target);
    ASSERT_FALSE(parsed.has_value()) << target;
    EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
  }
}

}  // namespace
}  // namespace hookline::api
