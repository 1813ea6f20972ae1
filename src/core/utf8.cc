#include "core/utf8.h"

#include <cstdint>

namespace hookline {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// One step of a decoder: how many bytes at the start of `rest` form a character, or, when they
// do not, how many to replace with one U+FFFD (the longest prefix that could still have begun a
// character, at least one byte).
struct Step {
  size_t length;
  bool valid;
};

// The allowed range of the byte after `lead` (table 3-7); later ones are always 80..BF. The
// narrowed ranges are what rule out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
struct Lead {
  size_t length = 0;  // 0: not a lead byte
  uint8_t low = 0x80;
  uint8_t high = 0xBF;
};

Lead lead_of(uint8_t byte) {
  if (byte >= 0xC2 && byte <= 0xDF) return {2};
  if (byte == 0xE0) return {3, 0xA0, 0xBF};
  if (byte == 0xED) return {3, 0x80, 0x9F};
  if (byte >= 0xE1 && byte <= 0xEF) return {3};
  if (byte == 0xF0) return {4, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {4};
  if (byte == 0xF4) return {4, 0x80, 0x8F};
  return {};  // a continuation byte, C0, C1 or F5..FF: never starts a character
}

Step next_step(std::string_view rest) {
  const auto first = static_cast<uint8_t>(rest[0]);
  if (first < 0x80) return {1, true};
  const Lead lead = lead_of(first);
  if (lead.length == 0) return {1, false};
  for (size_t i = 1; i < lead.length; ++i) {
    if (i >= rest.size()) return {i, false};
    const auto byte = static_cast<uint8_t>(rest[i]);
    const uint8_t low = i == 1 ? lead.low : 0x80;
    const uint8_t high = i == 1 ? lead.high : 0xBF;
    if (byte < low || byte > high) return {i, false};
  }
  return {lead.length, true};
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    const Step step = next_step(text.substr(at));
    if (!step.valid) return false;
    at += step.length;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const Step step = next_step(text.substr(at));
    if (step.valid) {
      out.append(text.substr(at, step.length));
    } else {
      out.append(kReplacement);
    }
    at += step.length;
  }
  return out;
}

}  // namespace hookline
