#include "core/header_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace hookline {

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_header_name(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  return std::ranges::all_of(name, [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kTokenPunctuation.find(c) != std::string_view::npos;
  });
}

bool is_reserved_header(std::string_view name) {
  constexpr std::array<std::string_view, 12> kReserved = {
      "host",       "content-length",    "transfer-encoding",
      "connection", "upgrade",           "te",
      "trailer",    "keep-alive",        "expect",
      "webhook-id", "webhook-timestamp", "webhook-signature"};
  return std::ranges::any_of(kReserved, [&](std::string_view r) { return iequals(r, name); });
}

bool is_credential_header(std::string_view name) {
  std::string lower(name);
  std::ranges::transform(lower, lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.starts_with("webhook-")) return false;  // signatures are meant to be seen
  // "auth" covers Authorization and Proxy-Authorization; "signature" a receiver's static
  // X-Signature. The store seals exactly these values (store/webhook_secrets.h).
  for (std::string_view word :
       {"auth", "token", "secret", "password", "key", "cookie", "signature"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool has_line_break(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool is_event_name(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  bool segment_empty = true;
  for (char c : name) {
    if (c == '.') {
      if (segment_empty) return false;
      segment_empty = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return !segment_empty;
}

}  // namespace hookline
