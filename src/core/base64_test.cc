#include "core/base64.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(Base64Test, RoundTripsEveryPaddingLength) {
  for (std::string text : {"", "a", "ab", "abc", "ana:s3cret", "salário"}) {
    const std::string encoded = base64_encode(text);
    EXPECT_EQ(base64_decode(encoded), text) << encoded;
  }
  EXPECT_EQ(base64_encode("ana:s3cret"), "YW5hOnMzY3JldA==");
}

TEST(Base64Test, RejectsMalformedText) {
  EXPECT_FALSE(base64_decode("abc"));
  EXPECT_FALSE(base64_decode("ab!d"));
}

}  // namespace
}  // namespace hookline
