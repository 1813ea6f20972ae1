#pragma once

#include <string>
#include <string_view>

namespace hookline {

// True when `text` is well-formed UTF-8 (Unicode 15, table 3-7): no overlongs, no surrogates,
// nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view text);

// `text` with each ill-formed sequence replaced by U+FFFD, one per maximal subpart (the practice
// Unicode recommends, and the one browsers follow); well-formed text comes back unchanged.
std::string to_valid_utf8(std::string_view text);

// How many characters (code points) valid UTF-8 text holds: what a user counts, not bytes.
inline size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace hookline
