#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace hookline {
namespace {

TEST(IdsTest, UuidV7CarriesTheTimeAndSortsByIt) {
  const std::string a = new_uuid_v7(1563186327795);
  const std::string b = new_uuid_v7(1563186327796);
  EXPECT_TRUE(is_uuid(a));
  EXPECT_EQ(a.substr(0, 8), "016bf52a");
  EXPECT_EQ(a[14], '7');
  EXPECT_LT(a, b);
}

TEST(IdsTest, UuidsOfOneMillisecondAreAllDistinctAcrossThreads) {
  // Many blocks of the per-thread random source, on two threads at once.
  std::vector<std::string> a, b;
  std::thread other([&] {
    for (int i = 0; i < 20'000; ++i) b.push_back(new_uuid_v7(1'700'000'000'000));
  });
  for (int i = 0; i < 20'000; ++i) a.push_back(new_uuid_v7(1'700'000'000'000));
  other.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 40'000u);
  for (const std::string& id : a) {
    ASSERT_TRUE(is_uuid(id)) << id;
    ASSERT_EQ(id[14], '7') << id;                                          // version 7
    ASSERT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC variant
  }
}

TEST(IdsTest, IsUuidRejectsOtherShapes) {
  EXPECT_TRUE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d63"));
  EXPECT_FALSE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d6"));
  EXPECT_FALSE(is_uuid("7c076336x6072-4be3-a86f-b7255dbd0d63"));
  EXPECT_FALSE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d6g"));
}

TEST(IdsTest, RandomTokensAreUrlSafeAndDistinct) {
  for (const auto token : {&random_token, &random_id_token}) {
    const std::string a = token(32);
    EXPECT_EQ(a.size(), 43u);
    EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
    EXPECT_NE(a, token(32));
  }
  // Drawn from the same block, one after the other, request ids still differ.
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(random_id_token(9));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(IdsTest, Sha256HexMatchesKnownDigest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hookline
