#include "core/json_depth.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace hookline {
namespace {

std::string nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += i % 2 == 0 ? "{\"k\":" : "[";
  text += "1";
  for (int i = depth - 1; i >= 0; --i) text += i % 2 == 0 ? "}" : "]";
  return text;
}

TEST(JsonDepthTest, CountsObjectsAndArraysInsideOneAnother) {
  EXPECT_EQ(json_depth(boost::json::parse("1")), 0);
  EXPECT_EQ(json_depth(boost::json::parse("{}")), 1);
  EXPECT_EQ(json_depth(boost::json::parse("[]")), 1);
  EXPECT_EQ(json_depth(boost::json::parse(R"({"a":1,"b":"x"})")), 1);
  EXPECT_EQ(json_depth(boost::json::parse(R"({"a":[1,{"b":{}}],"c":{"d":2}})")), 4);
  EXPECT_EQ(json_depth(boost::json::parse(nested(20))), 20);
}

TEST(JsonDepthTest, StoredJsonIsReadBackDeeperThanAnyRequestMayBe) {
  // A delivery body: the details, as deep as an input may give them, two levels down inside a
  // custom payload that embeds them again inside its own.
  const std::string details = nested(kMaxUserJsonDepth);
  const std::string body = R"({"data":{"custom_data":{"k":)" + nested(kMaxUserJsonDepth - 1) +
                           R"(,"d":)" + details + R"(},"event_details":)" + details + "}}";
  boost::system::error_code ec;
  EXPECT_THROW(boost::json::parse(nested(kMaxStoredJsonDepth)), std::exception)
      << "Boost.JSON's default is lower than the stored limit";
  const boost::json::value read = parse_stored_json(body, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(boost::json::serialize(read), body);
  EXPECT_FALSE(ec);
  parse_stored_json(nested(kMaxStoredJsonDepth + 1), ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace hookline
