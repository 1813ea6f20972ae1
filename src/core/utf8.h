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

}  // namespace hookline
