#include "store/body_splice.h"

#include <gtest/gtest.h>

namespace hookline::store {
namespace {

TEST(BodySpliceTest, DetailsCutOutComeBackAtTheSameByte) {
  const std::string details = R"({"order":"A-1","total":99.5,"nome":"João"})";
  const std::string body = R"({"id":"e1","data":{"contact":{"id":"c"},"event_details":)" + details +
                           R"(,"custom_data":{"x":1}}})";
  const auto at = find_details(body, details);
  ASSERT_TRUE(at);
  const std::string stored = cut(body, *at, details.size());
  EXPECT_EQ(stored.find("A-1"), std::string::npos);
  EXPECT_EQ(join(stored, *at, details), body);
}

TEST(BodySpliceTest, AKeyOfTheSameNameInTheContactIsPassedOver) {
  const std::string details = R"({"k":2})";
  const std::string body =
      R"({"data":{"contact":{"event_details":{"k":1}},"event_details":{"k":2}}})";
  const auto at = find_details(body, details);
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, body.rfind(details));
  EXPECT_EQ(join(cut(body, *at, details.size()), *at, details), body);
}

TEST(BodySpliceTest, DetailsThatAreNotInTheBodyAreNotFound) {
  EXPECT_FALSE(find_details(R"({"data":{"event_details":{"k":1}}})", R"({"k":2})"));
  EXPECT_FALSE(find_details(R"({"data":{}})", "{}"));
}

TEST(BodySpliceTest, EmptyDetailsRoundTrip) {
  const std::string body = R"({"data":{"contact":{},"event_details":{}}})";
  const auto at = find_details(body, "{}");
  ASSERT_TRUE(at);
  EXPECT_EQ(join(cut(body, *at, 2), *at, "{}"), body);
}

}  // namespace
}  // namespace hookline::store
