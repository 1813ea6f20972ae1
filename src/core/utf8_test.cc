#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace hookline {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string replaced(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += kFffd;
  return out;
}

TEST(Utf8Test, ValidTextIsKeptAsItIs) {
  // ASCII, and 2-, 3- and 4-byte characters at the edges of their ranges.
  for (const std::string& text :
       {std::string(""), std::string("plain /v1/webhooks"), std::string("sal\xC3\xA1rio"),
        std::string("\xC2\x80 \xDF\xBF"), std::string("\xE0\xA0\x80 \xE2\x82\xAC \xED\x9F\xBF"),
        std::string("\xEE\x80\x80 \xEF\xBF\xBF"), std::string("\xF0\x90\x80\x80 \xF0\x9F\x98\x80"),
        std::string("\xF4\x8F\xBF\xBF"), std::string("nul \0 inside", 12)}) {
    EXPECT_TRUE(is_valid_utf8(text)) << text;
    EXPECT_EQ(to_valid_utf8(text), text);
  }
}

TEST(Utf8Test, TruncatedSequencesBecomeOneReplacementEach) {
  EXPECT_EQ(to_valid_utf8("a\xC3"), "a" + kFffd);
  EXPECT_EQ(to_valid_utf8("\xE2\x82"), kFffd);
  EXPECT_EQ(to_valid_utf8("\xF0\x9F\x98"), kFffd);
  // Cut short by a byte that is not a continuation: that byte is kept.
  EXPECT_EQ(to_valid_utf8("\xE2\x82z"), kFffd + "z");
  EXPECT_EQ(to_valid_utf8("\xF0\x9F\xC3\xA1"), kFffd + "\xC3\xA1");
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
}

TEST(Utf8Test, OverlongsAreReplacedByteByByte) {
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), replaced(2));  // '/' in two bytes
  EXPECT_EQ(to_valid_utf8("\xC1\xBF"), replaced(2));
  EXPECT_EQ(to_valid_utf8("\xE0\x80\xAF"), replaced(3));      // '/' in three
  EXPECT_EQ(to_valid_utf8("\xF0\x80\x80\xAF"), replaced(4));  // '/' in four
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
}

TEST(Utf8Test, LoneContinuationBytesAreReplaced) {
  EXPECT_EQ(to_valid_utf8("\x80"), kFffd);
  EXPECT_EQ(to_valid_utf8("a\xBF\x80z"), "a" + replaced(2) + "z");
  EXPECT_EQ(to_valid_utf8("\xC3\xA1\xA1"), "\xC3\xA1" + kFffd);
  EXPECT_FALSE(is_valid_utf8("\xBF"));
}

TEST(Utf8Test, SurrogatesEncodedInUtf8AreReplaced) {
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), replaced(3));              // U+D800
  EXPECT_EQ(to_valid_utf8("\xED\xBF\xBF"), replaced(3));              // U+DFFF
  EXPECT_EQ(to_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"), replaced(6));  // a CESU-8 pair
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));
}

TEST(Utf8Test, BytesThatNeverStartACharacterAreReplaced) {
  for (int byte = 0xF5; byte <= 0xFF; ++byte) {
    const std::string text{static_cast<char>(byte)};
    EXPECT_EQ(to_valid_utf8(text), kFffd) << byte;
    EXPECT_FALSE(is_valid_utf8(text)) << byte;
  }
  EXPECT_EQ(to_valid_utf8("\xFF\xFE"), replaced(2));
  EXPECT_EQ(to_valid_utf8("\xF5\x80\x80\x80"), replaced(4));
  EXPECT_EQ(to_valid_utf8("\xF4\x90\x80\x80"), replaced(4));  // above U+10FFFF
}

TEST(Utf8Test, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("Offer"), 5u);
  EXPECT_EQ(utf8_length("Promoção"), 8u);  // 10 bytes
  EXPECT_EQ(utf8_length("→ 🎯"), 3u);       // 8 bytes
}

}  // namespace
}  // namespace hookline
