#include "delivery/target_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <boost/url/parse.hpp>
#include <charconv>
#include <cstring>
#include <optional>

namespace hookline::delivery {
namespace {

struct V4Range {
  uint32_t base;  // host byte order
  int prefix;
};

// IPv4 ranges that never belong to a third-party receiver.
constexpr V4Range kBlockedV4[] = {
    {0x00000000, 8},   // 0.0.0.0/8 "this network"; 0.0.0.0 reaches the local host on Linux
    {0x0A000000, 8},   // 10.0.0.0/8 private
    {0x64400000, 10},  // 100.64.0.0/10 carrier-grade NAT
    {0x7F000000, 8},   // 127.0.0.0/8 loopback
    {0xA9FE0000, 16},  // 169.254.0.0/16 link-local, cloud metadata 169.254.169.254
    {0xAC100000, 12},  // 172.16.0.0/12 private
    {0xC0000000, 24},  // 192.0.0.0/24 IETF protocol assignments
    {0xC0A80000, 16},  // 192.168.0.0/16 private
    {0xC6120000, 15},  // 198.18.0.0/15 benchmarking
    {0xE0000000, 4},   // 224.0.0.0/4 multicast
    {0xF0000000, 4},   // 240.0.0.0/4 reserved
    {0xFFFFFFFF, 32},  // 255.255.255.255 broadcast (inside 240/4; listed for the record)
};

struct V6Range {
  std::array<uint8_t, 16> base;
  int prefix;
};

// IPv6 ranges refused as such. Ranges that embed an IPv4 address are judged by it instead.
constexpr V6Range kBlockedV6[] = {
    {{}, 128},                                                // ::/128 unspecified
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},  // ::1/128 loopback
    {{0xfc}, 7},                                              // fc00::/7 unique local
    {{0xfe, 0x80}, 10},                                       // fe80::/10 link-local
    {{0xfe, 0xc0}, 10},                                       // fec0::/10 deprecated site-local
    {{0xff}, 8},                                              // ff00::/8 multicast
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48},               // 64:ff9b:1::/48 local-use NAT64
};

bool matches(const uint8_t* address, const uint8_t* base, int prefix) {
  const int whole = prefix / 8;
  if (std::memcmp(address, base, static_cast<size_t>(whole)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address[whole] & mask) == (base[whole] & mask);
}

std::array<uint8_t, 4> v4_bytes(uint32_t host_order) {
  return {static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
          static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
}

bool is_blocked_v4(const uint8_t* address) {
  for (const V4Range& range : kBlockedV4) {
    if (matches(address, v4_bytes(range.base).data(), range.prefix)) return true;
  }
  return false;
}

// The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one.
std::optional<std::array<uint8_t, 4>> embedded_v4(const std::array<uint8_t, 16>& a) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr uint8_t kCompatible[12] = {};
  static constexpr uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  const auto tail = [&](size_t from) {
    return std::array<uint8_t, 4>{a[from], a[from + 1], a[from + 2], a[from + 3]};
  };
  if (std::memcmp(a.data(), kMapped, 12) == 0 || std::memcmp(a.data(), kCompatible, 12) == 0 ||
      std::memcmp(a.data(), kNat64, 12) == 0) {
    return tail(12);
  }
  if (a[0] == 0x20 && a[1] == 0x02) return tail(2);  // 2002:AABB:CCDD::/48 6to4
  return std::nullopt;
}

// Parses "1.2.3.4", "::1" and, when `allow_brackets`, "[::1]".
std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text, bool allow_brackets,
                                                bool& v6) {
  bool bracketed = false;
  if (allow_brackets && text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    bracketed = true;
  }
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string terminated(text);  // inet_pton wants a NUL-terminated string
  std::array<uint8_t, 16> bytes{};
  if (!bracketed && inet_pton(AF_INET, terminated.c_str(), bytes.data()) == 1) {
    v6 = false;
    return bytes;
  }
  if (inet_pton(AF_INET6, terminated.c_str(), bytes.data()) == 1) {
    v6 = true;
    return bytes;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

std::expected<TargetGuard, std::string> TargetGuard::with_allowed(std::string_view cidr_list) {
  TargetGuard guard;
  while (!cidr_list.empty()) {
    const size_t comma = cidr_list.find(',');
    const std::string_view entry = trim(cidr_list.substr(0, comma));
    cidr_list = comma == std::string_view::npos ? std::string_view{} : cidr_list.substr(comma + 1);
    if (entry.empty()) continue;  // tolerates "a,,b" and a trailing comma

    const auto bad = [&] {
      return std::unexpected("invalid address range \"" + std::string(entry) + "\"" +
                             " (expected e.g. 127.0.0.0/8 or ::1/128)");
    };
    const size_t slash = entry.find('/');
    Range range;
    auto bytes = parse_ip(entry.substr(0, slash), /*allow_brackets=*/false, range.base.v6);
    if (!bytes) return bad();
    range.base.bytes = *bytes;
    const int max_prefix = range.base.v6 ? 128 : 32;
    range.prefix = max_prefix;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), range.prefix);
      if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
          range.prefix < 0 || range.prefix > max_prefix) {
        return bad();
      }
    }
    guard.allowed_.push_back(range);
  }
  return guard;
}

bool TargetGuard::allows(const sockaddr* address) const {
  if (address == nullptr) return false;
  Address a;
  // memcpy: curl hands over its own storage, whose alignment is not sockaddr_in6's.
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof(in));
    std::memcpy(a.bytes.data(), &in.sin_addr, 4);
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof(in6));
    a.v6 = true;
    std::memcpy(a.bytes.data(), &in6.sin6_addr, 16);
  } else {
    return false;
  }
  return allows(a);
}

bool TargetGuard::allows_literal(std::string_view ip) const {
  Address a;
  auto bytes = parse_ip(ip, /*allow_brackets=*/true, a.v6);
  if (!bytes) return false;
  a.bytes = *bytes;
  return allows(a);
}

bool TargetGuard::is_ip_literal(std::string_view host) {
  bool v6 = false;
  return parse_ip(host, /*allow_brackets=*/true, v6).has_value();
}

std::optional<std::string> TargetGuard::refused_literal_host(std::string_view url) const {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  std::string host(parsed->host_address());
  if (parsed->host_type() == boost::urls::host_type::name) {
    in_addr v4{};
    if (inet_aton(host.c_str(), &v4) == 0) return std::nullopt;
    std::array<char, INET_ADDRSTRLEN> text{};
    inet_ntop(AF_INET, &v4, text.data(), text.size());
    host = text.data();
  }
  if (allows_literal(host)) return std::nullopt;
  return host;
}

bool TargetGuard::allows(const Address& address) const {
  if (is_allowed_by_operator(address)) return true;
  if (!address.v6) return !is_blocked_v4(address.bytes.data());
  for (const V6Range& range : kBlockedV6) {
    if (matches(address.bytes.data(), range.base.data(), range.prefix)) return false;
  }
  if (auto v4 = embedded_v4(address.bytes)) {
    Address inner;
    std::memcpy(inner.bytes.data(), v4->data(), 4);
    return is_allowed_by_operator(inner) || !is_blocked_v4(inner.bytes.data());
  }
  return true;
}

bool TargetGuard::is_allowed_by_operator(const Address& address) const {
  for (const Range& range : allowed_) {
    if (range.base.v6 == address.v6 &&
        matches(address.bytes.data(), range.base.bytes.data(), range.prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace hookline::delivery
