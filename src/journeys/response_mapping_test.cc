#include "journeys/response_mapping.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace hookline::journeys {
namespace {

TEST(ResponseMappingTest, PathsBecomeJsonPointers) {
  EXPECT_EQ(mapping_pointer("/lead/score"), "/lead/score");
  EXPECT_EQ(mapping_pointer("$.lead.score"), "/lead/score");
  EXPECT_EQ(mapping_pointer("$.items[0].id"), "/items/0/id");
  EXPECT_EQ(mapping_pointer("$['a/b'].c~d"), "/a~1b/c~0d");
  EXPECT_EQ(mapping_pointer("$"), std::nullopt);
  EXPECT_EQ(mapping_pointer("lead.score"), std::nullopt);
  EXPECT_EQ(mapping_pointer("$..score"), std::nullopt);
  EXPECT_EQ(mapping_pointer("$.items[x]"), std::nullopt);
}

TEST(ResponseMappingTest, PropertiesAndTypes) {
  EXPECT_TRUE(is_mappable_property("lead_score"));
  EXPECT_FALSE(is_mappable_property("email"));
  EXPECT_FALSE(is_mappable_property("lead score"));
  EXPECT_FALSE(is_mappable_property(""));
  EXPECT_FALSE(is_mappable_property(std::string(65, 'a')));
  EXPECT_TRUE(is_mapping_type("boolean"));
  EXPECT_FALSE(is_mapping_type("date"));
}

TEST(ResponseMappingTest, EachMappingAppliesOrSaysWhyNot) {
  const std::vector<ResponseMapping> mappings = {
      {"/qualified", "/qualified", "qualified", "boolean"},
      {"$.tags[1]", "/tags/1", "second_tag", "string"},
      {"/score", "/score", "score", "number"},
      {"/missing", "/missing", "missing", "any"},
      {"/nested", "/nested", "nested", "any"}};
  const MappedAnswer mapped = map_answer(
      mappings, R"({"qualified":true,"tags":["a","b"],"score":"12","nested":{"x":[1]}})");
  EXPECT_EQ(boost::json::serialize(mapped.properties),
            R"({"qualified":true,"second_tag":"b","nested":{"x":[1]}})");
  EXPECT_EQ(mapped.errors, (std::vector<std::string>{"/score: a string, not a number",
                                                     "/missing: not in the answer"}));
  EXPECT_EQ(map_answer(mappings, "").errors,
            (std::vector<std::string>{"the answer has no body to map"}));
  EXPECT_TRUE(map_answer({}, "not json").errors.empty());  // nothing asked, nothing wrong
}

}  // namespace
}  // namespace hookline::journeys
