#include "core/secret_box.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/ids.h"

namespace hookline {
namespace {

SecretBox box_of(const std::string& key, std::vector<std::string> others = {}) {
  auto box = SecretBox::make(key, std::move(others));
  EXPECT_TRUE(box) << box.error().message;
  return std::move(*box);
}

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');

TEST(SecretBoxTest, RoundTripsValuesOfEverySize) {
  const SecretBox box = box_of(random_bytes(32));
  for (std::string secret :
       {std::string(), std::string("p"), std::string("whsec_") + random_token(24),
        std::string(5000, 'x'), std::string("a\0b", 3)}) {
    auto sealed = box.seal(secret, "webhook-1");
    ASSERT_TRUE(sealed);
    EXPECT_TRUE(SecretBox::is_sealed(*sealed));
    auto opened = box.open(*sealed, "webhook-1");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, secret);
  }
}

TEST(SecretBoxTest, SealedFormNamesTheVersionAndKeyAndHoldsNoPlaintext) {
  const SecretBox box = box_of(kKeyA);
  const std::string id = sha256_hex(kKeyA).substr(0, 8);
  EXPECT_EQ(box.current_key_id(), id);
  EXPECT_EQ(SecretBox::key_id(kKeyA), id);
  auto sealed = box.seal("hunter2-password", "w");
  ASSERT_TRUE(sealed);
  EXPECT_TRUE(sealed->starts_with("sealed:v1:" + id + ":")) << *sealed;
  EXPECT_EQ(SecretBox::key_id_of(*sealed), id);
  EXPECT_EQ(sealed->find("hunter2"), std::string::npos);
  // nonce (12) + ciphertext (16) + tag (16), in base64.
  const auto blob = base64_decode(sealed->substr(sealed->rfind(':') + 1));
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->size(), 12u + 16u + 16u);
}

TEST(SecretBoxTest, EachSealUsesAFreshNonce) {
  const SecretBox box = box_of(kKeyA);
  EXPECT_NE(*box.seal("same", "w"), *box.seal("same", "w"));
}

TEST(SecretBoxTest, AnotherKeyDoesNotOpenAndSaysWhichKeyItNeeds) {
  const SecretBox a = box_of(kKeyA);
  const SecretBox b = box_of(kKeyB);
  auto sealed = a.seal("secret", "w");
  auto opened = b.open(*sealed, "w");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInternal);
  EXPECT_NE(opened.error().message.find(a.current_key_id()), std::string::npos)
      << opened.error().message;
  EXPECT_NE(opened.error().message.find(b.current_key_id()), std::string::npos);
  EXPECT_FALSE(b.holds(a.current_key_id()));
}

TEST(SecretBoxTest, OtherAssociatedDataDoesNotOpen) {
  const SecretBox box = box_of(kKeyA);
  auto sealed = box.seal("secret", "webhook-1");
  auto opened = box.open(*sealed, "webhook-2");
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("does not open"), std::string::npos);
  EXPECT_EQ(opened.error().message.find("secret\""), std::string::npos);
}

TEST(SecretBoxTest, EveryTamperedByteIsRefused) {
  const SecretBox box = box_of(kKeyA);
  const std::string sealed = *box.seal("secret", "w");
  const size_t at = sealed.rfind(':') + 1;
  const std::string blob = *base64_decode(sealed.substr(at));
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string changed = blob;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(box.open(sealed.substr(0, at) + base64_encode(changed), "w")) << "byte " << i;
  }
  EXPECT_FALSE(box.open(sealed.substr(0, sealed.size() - 4), "w"));  // cut short
}

TEST(SecretBoxTest, MalformedValuesAreRefused) {
  const SecretBox box = box_of(kKeyA);
  const std::string id = box.current_key_id();
  for (std::string bad : {std::string("plain"), std::string("sealed:v2:") + id + ":AAAA",
                          std::string("sealed:v1:") + id + ":not base64!",
                          std::string("sealed:v1:") + id + ":" + base64_encode("short"),
                          std::string("sealed:v1:XYZ:AAAA")}) {
    EXPECT_FALSE(box.open(bad, "w")) << bad;
    EXPECT_EQ(SecretBox::key_id_of(bad), "") << bad;
  }
}

TEST(SecretBoxTest, OpensWithAnOlderKeyAndSealsWithTheCurrentOne) {
  const SecretBox old_box = box_of(kKeyA);
  const SecretBox rotating = box_of(kKeyB, {kKeyA});
  const std::string sealed_old = *old_box.seal("secret", "w");
  EXPECT_EQ(*rotating.open(sealed_old, "w"), "secret");
  EXPECT_TRUE(rotating.holds(old_box.current_key_id()));
  const std::string sealed_new = *rotating.seal("secret", "w");
  EXPECT_EQ(SecretBox::key_id_of(sealed_new), SecretBox::key_id(kKeyB));
  EXPECT_FALSE(old_box.open(sealed_new, "w"));
}

TEST(SecretBoxTest, KeysOfTheWrongSizeAreRefused) {
  EXPECT_FALSE(SecretBox::make(std::string(31, 'k')));
  EXPECT_FALSE(SecretBox::make(kKeyA, {std::string(33, 'k')}));
  EXPECT_FALSE(SecretBox::make(""));
}

}  // namespace
}  // namespace hookline
