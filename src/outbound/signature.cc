#include "outbound/signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "core/base64.h"
#include "core/ids.h"

namespace hookline::outbound {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr size_t kSecretBytes = 24;

}  // namespace

std::string new_signing_secret() {
  return std::string(kSecretPrefix) + base64_encode(random_bytes(kSecretBytes));
}

std::expected<std::string, std::string> sign(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  auto key = base64_decode(secret);
  if (!key) return std::unexpected("secret is not base64");
  if (key->empty()) return std::unexpected("secret holds an empty key");

  std::string message;
  message.reserve(msg_id.size() + body.size() + 24);
  message.append(msg_id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);

  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
           &mac_size) == nullptr) {
    return std::unexpected("HMAC-SHA256 failed");
  }
  return "v1," + base64_encode({reinterpret_cast<const char*>(mac.data()), mac_size});
}

}  // namespace hookline::outbound
