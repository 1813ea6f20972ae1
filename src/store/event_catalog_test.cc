#include "store/event_catalog.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace hookline::store {
namespace {

namespace json = boost::json;

std::vector<std::string> keys_of(std::string_view text) {
  std::vector<std::string> keys;
  std::string path;
  for_each_placeholder_key(json::parse(text).as_object(), path,
                           [&keys](std::string_view key) { keys.emplace_back(key); });
  return keys;
}

TEST(PlaceholderKeysTest, NestedObjectsGiveDottedPathsThreeLevelsDeep) {
  EXPECT_EQ(keys_of(R"({"total":1,"address":{"city":"Recife","geo":{"lat":1,"deep":{"x":1}}},)"
                    R"("items":[{"sku":"a"}]})"),
            (std::vector<std::string>{"total", "address", "address.city", "address.geo",
                                      "address.geo.lat", "address.geo.deep", "items"}));
}

TEST(PlaceholderKeysTest, KeysNoPlaceholderCanNameAreLeftOutWithWhatIsUnderThem) {
  EXPECT_EQ(keys_of(R"({"":1,"a.b":{"c":1},"salário":2})"), (std::vector<std::string>{"salário"}));
}

// Runs one job of the news and says whether it succeeded.
void job(CatalogNews& news, bool succeeded, const std::string& workspace, std::string_view name,
         std::string_view details, int64_t now_ms) {
  const json::object parsed = json::parse(details).as_object();
  news.event_stored(workspace, name, parsed, json::serialize(parsed), "c1", now_ms);
  news.end_job(succeeded);
}

TEST(CatalogNewsTest, OnlyWhatIsNewIsWrittenAndOnlyOnceItsBatchCommitted) {
  CatalogNews news;
  job(news, true, "w", "order.paid", R"({"total":1})", 1000);
  job(news, true, "w", "order.paid", R"({"total":2,"currency":"BRL"})", 1001);
  EXPECT_EQ(news.type_rows(), R"([["w","order.paid",1000,"{\"total\":1}","c1"]])");
  EXPECT_EQ(news.key_rows(),
            R"([["w","event:order.paid","currency",1001],["w","event:order.paid","total",1000]])");

  // The batch failed: nothing was stored, so the next batch finds the same news.
  news.discard();
  job(news, true, "w", "order.paid", R"({"total":3})", 2000);
  EXPECT_EQ(news.key_rows(), R"([["w","event:order.paid","total",2000]])");
  news.committed();

  job(news, true, "w", "order.paid", R"({"total":4})", 3000);
  EXPECT_EQ(news.type_rows(), "");
  EXPECT_EQ(news.key_rows(), "");
  // Another workspace's catalog is its own.
  job(news, true, "w2", "order.paid", R"({"total":4})", 3000);
  EXPECT_NE(news.type_rows(), "");
}

TEST(CatalogNewsTest, AFailedJobsNewsIsDropped) {
  CatalogNews news;
  job(news, false, "w", "form.submit", R"({"field":1})", 1000);
  EXPECT_EQ(news.type_rows(), "");
  EXPECT_EQ(news.key_rows(), "");
  job(news, true, "w", "form.submit", R"({"field":1})", 1001);
  EXPECT_NE(news.type_rows(), "");
}

TEST(CatalogNewsTest, TheExampleIsRefreshedOnceItIsOlderThanTheRefreshTime) {
  CatalogNews news;
  job(news, true, "w", "email.click", R"({"n":1})", 1000);
  news.committed();
  job(news, true, "w", "email.click", R"({"n":2})", 1000 + kExampleRefreshMs - 1);
  EXPECT_EQ(news.type_rows(), "");
  job(news, true, "w", "email.click", R"({"n":3})", 1000 + kExampleRefreshMs);
  EXPECT_EQ(news.type_rows(), "[[\"w\",\"email.click\"," +
                                  std::to_string(1000 + kExampleRefreshMs) +
                                  R"(,"{\"n\":3}","c1"]])");
}

TEST(CatalogNewsTest, DetailsTooLargeGiveNoExampleButTheirKeys) {
  CatalogNews news;
  const std::string large = R"({"blob":")" + std::string(kMaxExampleBytes, 'x') + R"("})";
  job(news, true, "w", "big", large, 1000);
  EXPECT_EQ(news.type_rows(), R"([["w","big",1000,null,"c1"]])");
  EXPECT_EQ(news.key_rows(), R"([["w","event:big","blob",1000]])");
}

TEST(CatalogNewsTest, ContactPropertiesAreKeysOfTheContactScope) {
  CatalogNews news;
  Contact contact;
  contact.workspace_id = "w";
  contact.properties = {{"plan", "pro"}, {"tier", 2}};
  news.contact_stored(contact, 5000);
  news.end_job(true);
  EXPECT_EQ(news.type_rows(), "");
  EXPECT_EQ(news.key_rows(), R"([["w","contact","plan",5000],["w","contact","tier",5000]])");
}

TEST(AddEventKeyTest, KeysJoinTheirNameAndKeysOfOtherScopesAreLeftOut) {
  std::vector<EventTypeInfo> types(2);
  types[0].name = "a";
  types[1].name = "b.c";
  add_event_key(types, "event:b.c", "x");
  add_event_key(types, "event:a", "y");
  add_event_key(types, "event:zzz", "lost");
  add_event_key(types, "contact", "plan");
  EXPECT_EQ(types[0].keys, std::vector<std::string>{"y"});
  EXPECT_EQ(types[1].keys, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace hookline::store
