#include "outbound/signature.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>

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

// An HMAC context keyed with the secret. A message is signed on a duplicate of it: keying (and
// OpenSSL 3 looking the algorithm up by name) happens once per signer, not once per message.
struct Signer::Keyed {
  EVP_MAC_CTX* context = nullptr;

  Keyed() = default;
  Keyed(const Keyed&) = delete;
  Keyed& operator=(const Keyed&) = delete;
  ~Keyed() { EVP_MAC_CTX_free(context); }
};

std::expected<Signer, std::string> Signer::create(std::string_view secret) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  auto key = base64_decode(secret);
  if (!key) return std::unexpected("secret is not base64");
  if (key->empty()) return std::unexpected("secret holds an empty key");

  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        &EVP_MAC_free);
  if (!mac) return std::unexpected("HMAC is not available");
  auto keyed = std::make_shared<Keyed>();
  keyed->context = EVP_MAC_CTX_new(mac.get());
  if (keyed->context == nullptr) return std::unexpected("out of memory for HMAC");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(keyed->context, reinterpret_cast<const unsigned char*>(key->data()), key->size(),
                   params) != 1) {
    return std::unexpected("HMAC-SHA256 cannot take the key");
  }
  return Signer(std::move(keyed));
}

std::expected<std::string, std::string> Signer::sign(std::string_view msg_id, int64_t timestamp_s,
                                                     std::string_view body) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(
      EVP_MAC_CTX_dup(keyed_->context), &EVP_MAC_CTX_free);
  if (!context) return std::unexpected("out of memory for HMAC");
  const std::string timestamp = std::to_string(timestamp_s);
  const auto update = [&](std::string_view part) {
    return EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(part.data()),
                          part.size()) == 1;
  };
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  size_t mac_size = 0;
  if (!update(msg_id) || !update(".") || !update(timestamp) || !update(".") || !update(body) ||
      EVP_MAC_final(context.get(), mac.data(), &mac_size, mac.size()) != 1) {
    return std::unexpected("HMAC-SHA256 failed");
  }
  return "v1," + base64_encode({reinterpret_cast<const char*>(mac.data()), mac_size});
}

std::expected<std::string, std::string> sign(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body) {
  auto signer = Signer::create(secret);
  if (!signer) return std::unexpected(signer.error());
  return signer->sign(msg_id, timestamp_s, body);
}

}  // namespace hookline::outbound
