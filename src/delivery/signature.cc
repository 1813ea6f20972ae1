#include "delivery/signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace hookline::delivery {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr size_t kSecretBytes = 24;
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');  // +1: EVP_EncodeBlock writes a NUL
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict standard base64 (padded). EVP_DecodeBlock alone would skip surrounding whitespace and
// count '=' padding as zero bytes, so the shape is checked first and the padding subtracted.
std::expected<std::vector<unsigned char>, std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::unexpected("secret is not base64 (length must be a non-zero multiple of 4)");
  }
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  if (text.substr(0, text.size() - padding).find_first_not_of(kBase64Alphabet) !=
      std::string_view::npos) {
    return std::unexpected("secret is not base64 (unexpected character)");
  }
  std::vector<unsigned char> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::unexpected("secret is not base64");
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

std::string new_signing_secret() {
  std::array<unsigned char, kSecretBytes> key{};
  // RAND_bytes fails only when the OS entropy source is broken: nothing sensible can go on.
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return std::string(kSecretPrefix) + base64_encode(key.data(), key.size());
}

std::expected<std::string, std::string> sign(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  auto key = base64_decode(secret);
  if (!key) return std::unexpected(key.error());
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
  return "v1," + base64_encode(mac.data(), mac_size);
}

}  // namespace hookline::delivery
