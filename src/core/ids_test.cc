#include "core/ids.h"

#include <gtest/gtest.h>

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

TEST(IdsTest, IsUuidRejectsOtherShapes) {
  EXPECT_TRUE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d63"));
  EXPECT_FALSE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d6"));
  EXPECT_FALSE(is_uuid("7c076336x6072-4be3-a86f-b7255dbd0d63"));
  EXPECT_FALSE(is_uuid("7c076336-6072-4be3-a86f-b7255dbd0d6g"));
}

TEST(IdsTest, RandomTokensAreUrlSafeAndDistinct) {
  const std::string a = random_token(32);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
  EXPECT_NE(a, random_token(32));
}

TEST(IdsTest, Sha256HexMatchesKnownDigest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hookline
