#include "outbound/signature.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

namespace hookline::outbound {
namespace {

// The test vector published by Standard Webhooks (and used by the Svix libraries).
constexpr std::string_view kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kVectorMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kVectorTimestamp = 1614265330;
constexpr std::string_view kVectorBody = R"({"test": 2432232314})";
constexpr std::string_view kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(SignatureTest, MatchesTheStandardWebhooksTestVector) {
  auto signature = sign(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody);
  ASSERT_TRUE(signature.has_value()) << signature.error();
  EXPECT_EQ(*signature, kVectorSignature);
}

TEST(SignatureTest, SecretWithoutPrefixIsBareBase64) {
  auto signature = sign(kVectorSecret.substr(6), kVectorMsgId, kVectorTimestamp, kVectorBody);
  ASSERT_TRUE(signature.has_value()) << signature.error();
  EXPECT_EQ(*signature, kVectorSignature);
}

// A 70-byte key: longer than the SHA-256 block, so HMAC hashes it and any stray zero byte left
// from the "==" padding would change the result (short keys are zero-padded by HMAC anyway).
// Expected value from `openssl dgst -sha256 -mac HMAC -macopt hexkey:0102...46`.
TEST(SignatureTest, PaddedLongKeyDecodesToItsExactBytes) {
  const std::string secret =
      "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/"
      "QEFCQ0RFRg==";
  auto signature = sign(secret, "msg_1", 1700000000, R"({"a":1})");
  ASSERT_TRUE(signature.has_value()) << signature.error();
  EXPECT_EQ(*signature, "v1,zlpT2jN1hFovYpe9RI8aL/EnPfnhcjTUXiyjAIhgxgg=");
}

TEST(SignatureTest, AnyChangeToIdTimestampOrBodyChangesTheSignature) {
  const std::string base = *sign(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody);
  EXPECT_NE(*sign(kVectorSecret, "msg_other", kVectorTimestamp, kVectorBody), base);
  EXPECT_NE(*sign(kVectorSecret, kVectorMsgId, kVectorTimestamp + 1, kVectorBody), base);
  EXPECT_NE(*sign(kVectorSecret, kVectorMsgId, kVectorTimestamp, R"({"test": 2432232315})"), base);
}

TEST(SignatureTest, MalformedSecretsAreErrors) {
  for (std::string_view secret : {
           "",                                        // nothing
           "whsec_",                                  // prefix only
           "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",   // length not a multiple of 4
           "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-w",  // URL-safe alphabet is not standard
           "whsec_MfKQ9r8GKYqrTwjU D8ILPZIo2LaLaSw",  // whitespace inside
           "whsec_MfKQ9r8GKYqr=wjUPD8ILPZIo2LaLaSw",  // padding in the middle
           "whsec_====",                              // padding only
       }) {
    auto signature = sign(secret, kVectorMsgId, kVectorTimestamp, kVectorBody);
    EXPECT_FALSE(signature.has_value()) << "secret: " << secret;
  }
}

TEST(SignatureTest, NewSecretsAreWhsecBase64Of24BytesAndSignable) {
  const std::string a = new_signing_secret();
  const std::string b = new_signing_secret();
  ASSERT_TRUE(a.starts_with("whsec_"));
  EXPECT_EQ(a.size(), 6u + 32u);  // 24 bytes -> 32 base64 characters, no padding
  EXPECT_EQ(a.substr(6).find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            std::string::npos);
  EXPECT_NE(a, b);
  auto signature = sign(a, "msg_1", 1, "{}");
  ASSERT_TRUE(signature.has_value()) << signature.error();
  EXPECT_TRUE(signature->starts_with("v1,"));
  EXPECT_EQ(signature->size(), 3u + 44u);  // 32-byte MAC -> 44 base64 characters
}

TEST(SignatureTest, OneSignerSignsManyMessagesAsSignDoesFromSeveralThreads) {
  auto signer = Signer::create(kVectorSecret);
  ASSERT_TRUE(signer.has_value()) << signer.error();
  EXPECT_EQ(signer->sign(kVectorMsgId, kVectorTimestamp, kVectorBody), kVectorSignature);
  std::vector<std::thread> threads;
  std::array<int, 2> mismatches{};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string body = R"({"n":)" + std::to_string(i * 2 + t) + "}";
        if (signer->sign("msg_" + std::to_string(i), kVectorTimestamp, body) !=
            sign(kVectorSecret, "msg_" + std::to_string(i), kVectorTimestamp, body)) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::array<int, 2>{0, 0}));
  EXPECT_FALSE(Signer::create("whsec_").has_value());
}

}  // namespace
}  // namespace hookline::outbound
