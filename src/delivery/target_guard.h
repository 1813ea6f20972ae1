#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::delivery {

// The SSRF guard (SPEC section 7): decides whether an outbound call may reach an address.
// Refused unless the operator allows them: "this network", loopback, private (RFC 1918), link-local
// (with the 169.254.169.254 metadata service), CGNAT, IETF protocol assignments, benchmarking,
// multicast, reserved and broadcast IPv4; unspecified, loopback, unique-local (with fd00:ec2::254),
// site-local, link-local, multicast and local-use NAT64 IPv6. IPv6 forms that carry an IPv4
// address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16)
// are judged by that IPv4 address, so no spelling of 127.0.0.1 gets through.
//
// A pure decision with no I/O: the HTTP client asks it about the address each socket is about to
// connect to (after DNS), which is what defeats DNS rebinding.
class TargetGuard {
 public:
  // The guard fully on: only public addresses are allowed.
  TargetGuard() = default;

  // A guard that also allows the given ranges, e.g. "127.0.0.0/8,::1/128". Entries are separated
  // by commas, may be surrounded by spaces, and may be a bare address (a /32 or /128); host bits
  // below the prefix are ignored. The error names the first bad entry.
  static std::expected<TargetGuard, std::string> with_allowed(std::string_view cidr_list);

  // The address a socket is about to connect to (AF_INET or AF_INET6; anything else is refused).
  bool allows(const sockaddr* address) const;

  // An IP literal as text ("10.0.0.1", "::1", "[::1]"); false when `ip` is not an IP literal.
  // Only a fast pre-check: a host name, or a form inet_pton does not take ("127.1"), is decided
  // by allows() on the resolved address.
  bool allows_literal(std::string_view ip) const;

  // True for a dotted-quad IPv4 address or an IPv6 address, bracketed or not (as in URLs).
  static bool is_ip_literal(std::string_view host);

  // The host of `url` when it is an address the guard refuses, written out (legacy IPv4
  // spellings such as 2130706433, 0x7f000001 or 127.1 are addresses too, as "127.0.0.1"); nullopt
  // when it is allowed, when the host is a name (judged on the resolved address when a call
  // connects: DNS may change), or when `url` is not a URL. For refusing a webhook at save time
  // rather than with blocked_target on every call.
  std::optional<std::string> refused_literal_host(std::string_view url) const;

 private:
  // An IPv4 address uses the first 4 bytes.
  struct Address {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
  };
  struct Range {
    Address base;
    int prefix = 0;
  };

  bool allows(const Address& address) const;
  bool is_allowed_by_operator(const Address& address) const;

  std::vector<Range> allowed_;
};

}  // namespace hookline::delivery
