#include "delivery/target_guard.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

namespace hookline::delivery {
namespace {

struct Case {
  std::string_view ip;
  bool allowed;
};

// The guard fully on: every range of SPEC section 7, at its edges, in each IPv6 spelling.
constexpr Case kDefaultCases[] = {
    // public
    {"8.8.8.8", true},
    {"1.1.1.1", true},
    {"93.184.216.34", true},
    {"2606:4700:4700::1111", true},
    {"2001:4860:4860::8888", true},
    // 0.0.0.0/8
    {"0.0.0.0", false},
    {"0.255.255.255", false},
    {"1.0.0.0", true},
    // 127.0.0.0/8
    {"127.0.0.1", false},
    {"127.255.255.254", false},
    {"126.255.255.255", true},
    {"128.0.0.0", true},
    // 10.0.0.0/8
    {"10.0.0.1", false},
    {"10.255.255.255", false},
    {"9.255.255.255", true},
    {"11.0.0.0", true},
    // 172.16.0.0/12
    {"172.16.0.1", false},
    {"172.31.255.255", false},
    {"172.15.255.255", true},
    {"172.32.0.0", true},
    // 192.168.0.0/16
    {"192.168.1.1", false},
    {"192.167.255.255", true},
    {"192.169.0.0", true},
    // 169.254.0.0/16, with the cloud metadata service
    {"169.254.169.254", false},
    {"169.254.0.1", false},
    {"169.253.255.255", true},
    {"169.255.0.0", true},
    // 100.64.0.0/10 CGNAT
    {"100.64.0.1", false},
    {"100.127.255.255", false},
    {"100.63.255.255", true},
    {"100.128.0.0", true},
    // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved, broadcast
    {"224.0.0.1", false},
    {"239.255.255.255", false},
    {"223.255.255.255", true},
    {"240.0.0.1", false},
    {"255.255.255.255", false},
    // 192.0.0.0/24, 198.18.0.0/15
    {"192.0.0.8", false},
    {"192.0.1.0", true},
    {"198.18.0.1", false},
    {"198.19.255.255", false},
    {"198.17.255.255", true},
    {"198.20.0.0", true},
    // IPv6 unspecified, loopback, unique local (AWS metadata fd00:ec2::254), link-local, multicast
    {"::", false},
    {"::1", false},
    {"fc00::1", false},
    {"fdff:ffff::1", false},
    {"fd00:ec2::254", false},
    {"fe80::1", false},
    {"febf:ffff::1", false},
    {"fec0::1", false},
    {"ff02::1", false},
    {"fbff:ffff::1", true},
    // IPv4-mapped and IPv4-compatible: judged as the IPv4 address
    {"::ffff:127.0.0.1", false},
    {"::ffff:7f00:1", false},
    {"::ffff:10.1.2.3", false},
    {"::ffff:169.254.169.254", false},
    {"::ffff:8.8.8.8", true},
    {"::127.0.0.1", false},
    {"::192.168.0.1", false},
    {"::8.8.8.8", true},
    // NAT64 well-known prefix: judged as the embedded IPv4; local-use NAT64 refused
    {"64:ff9b::127.0.0.1", false},
    {"64:ff9b::a9fe:a9fe", false},
    {"64:ff9b::8.8.8.8", true},
    {"64:ff9b:1::8.8.8.8", false},
    // 6to4: judged as the embedded IPv4
    {"2002:7f00:1::1", false},
    {"2002:c0a8:101::1", false},
    {"2002:808:808::1", true},
};

TEST(TargetGuardTest, DefaultGuardRefusesEveryNonPublicRange) {
  const TargetGuard guard;
  for (const Case& c : kDefaultCases) {
    EXPECT_EQ(guard.allows_literal(c.ip), c.allowed) << c.ip;
  }
}

sockaddr_storage socket_address(std::string_view ip) {
  sockaddr_storage storage{};
  const std::string text(ip);
  if (text.find(':') == std::string::npos) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(443);
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &in.sin_addr), 1) << ip;
    std::memcpy(&storage, &in, sizeof(in));
  } else {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(443);
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &in6.sin6_addr), 1) << ip;
    std::memcpy(&storage, &in6, sizeof(in6));
  }
  return storage;
}

TEST(TargetGuardTest, SocketAddressesGetTheSameDecisionAsLiterals) {
  const TargetGuard guard;
  for (const Case& c : kDefaultCases) {
    const sockaddr_storage storage = socket_address(c.ip);
    EXPECT_EQ(guard.allows(reinterpret_cast<const sockaddr*>(&storage)), c.allowed) << c.ip;
  }
}

TEST(TargetGuardTest, OtherAddressFamiliesAndNullAreRefused) {
  const TargetGuard guard;
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  EXPECT_FALSE(guard.allows(reinterpret_cast<const sockaddr*>(&un)));
  EXPECT_FALSE(guard.allows(nullptr));
}

TEST(TargetGuardTest, AllowedRangesOpenOnlyThoseRanges) {
  auto guard = TargetGuard::with_allowed("127.0.0.0/8, ::1/128");
  ASSERT_TRUE(guard.has_value()) << guard.error();
  const Case cases[] = {
      {"127.0.0.1", true},
      {"127.10.20.30", true},
      {"::1", true},
      {"::ffff:127.0.0.1", true},  // the same IPv4 address, spelled as IPv6
      {"64:ff9b::127.0.0.1", true},
      {"10.0.0.1", false},
      {"169.254.169.254", false},
      {"::", false},
      {"fe80::1", false},
      {"8.8.8.8", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(guard->allows_literal(c.ip), c.allowed) << c.ip;
  }
}

TEST(TargetGuardTest, AllowedEntriesMayBeBareAddressesAndIgnoreHostBits) {
  auto guard = TargetGuard::with_allowed("10.1.2.3,192.168.7.9/16,fd00:ec2::254,,");
  ASSERT_TRUE(guard.has_value()) << guard.error();
  EXPECT_TRUE(guard->allows_literal("10.1.2.3"));
  EXPECT_FALSE(guard->allows_literal("10.1.2.4"));
  EXPECT_TRUE(guard->allows_literal("192.168.200.1"));
  EXPECT_TRUE(guard->allows_literal("fd00:ec2::254"));
  EXPECT_FALSE(guard->allows_literal("fd00:ec2::253"));
}

TEST(TargetGuardTest, AllowingEverythingIsPossible) {
  auto guard = TargetGuard::with_allowed("0.0.0.0/0,::/0");
  ASSERT_TRUE(guard.has_value()) << guard.error();
  EXPECT_TRUE(guard->allows_literal("127.0.0.1"));
  EXPECT_TRUE(guard->allows_literal("fe80::1"));
}

TEST(TargetGuardTest, EmptyListAllowsNothingExtra) {
  auto guard = TargetGuard::with_allowed("");
  ASSERT_TRUE(guard.has_value()) << guard.error();
  EXPECT_FALSE(guard->allows_literal("127.0.0.1"));
  EXPECT_TRUE(guard->allows_literal("8.8.8.8"));
}

TEST(TargetGuardTest, BadEntriesAreNamedInTheError) {
  for (std::string_view entry :
       {"127.0.0.0/33", "::1/129", "127.0.0.0/", "127.0.0.0/-1", "127.0.0.0/8x", "localhost",
        "127.1/8", "10.0.0.0/ 8", "[::1]/128", "1.2.3.4.5"}) {
    auto guard = TargetGuard::with_allowed("10.0.0.0/8, " + std::string(entry));
    ASSERT_FALSE(guard.has_value()) << entry;
    EXPECT_NE(guard.error().find(std::string(entry)), std::string::npos) << guard.error();
  }
}

TEST(TargetGuardTest, IpLiteralsAreRecognised) {
  for (std::string_view host :
       {"127.0.0.1", "8.8.8.8", "::1", "[::1]", "[fe80::1]", "::ffff:10.0.0.1", "2001:db8::1"}) {
    EXPECT_TRUE(TargetGuard::is_ip_literal(host)) << host;
  }
  for (std::string_view host : {"", "example.com", "localhost", "127.1", "[127.0.0.1]", "[::1",
                                "::1]", "1.2.3.4.5", "256.0.0.1", "fe80::1%eth0"}) {
    EXPECT_FALSE(TargetGuard::is_ip_literal(host)) << host;
  }
}

TEST(TargetGuardTest, NonLiteralsAreNotAllowedAsLiterals) {
  const TargetGuard guard;
  EXPECT_FALSE(guard.allows_literal("example.com"));
  EXPECT_FALSE(guard.allows_literal(""));
  EXPECT_TRUE(guard.allows_literal("[2606:4700:4700::1111]"));
}

TEST(TargetGuardTest, AUrlAimedAtARefusedAddressNamesIt) {
  const TargetGuard guard;
  EXPECT_EQ(guard.refused_literal_host("http://127.0.0.1:8080/x"), "127.0.0.1");
  EXPECT_EQ(guard.refused_literal_host("https://[::1]/hook"), "::1");
  EXPECT_EQ(guard.refused_literal_host("http://10.1.2.3/"), "10.1.2.3");
  // Legacy IPv4 spellings are addresses too, shown written out.
  EXPECT_EQ(guard.refused_literal_host("http://2130706433/"), "127.0.0.1");
  EXPECT_EQ(guard.refused_literal_host("http://0x7f000001/"), "127.0.0.1");
  EXPECT_EQ(guard.refused_literal_host("http://127.1/"), "127.0.0.1");
  // Public addresses pass; names are judged when the call connects; non-URLs are not its business.
  EXPECT_EQ(guard.refused_literal_host("https://93.184.216.34/"), std::nullopt);
  EXPECT_EQ(guard.refused_literal_host("https://localhost/"), std::nullopt);
  EXPECT_EQ(guard.refused_literal_host("not a url"), std::nullopt);
  // What the operator allows passes.
  const auto allowing = TargetGuard::with_allowed("127.0.0.0/8");
  ASSERT_TRUE(allowing.has_value());
  EXPECT_EQ(allowing->refused_literal_host("http://127.0.0.1:8080/x"), std::nullopt);
  EXPECT_EQ(allowing->refused_literal_host("http://10.0.0.1/"), "10.0.0.1");
}

}  // namespace
}  // namespace hookline::delivery
