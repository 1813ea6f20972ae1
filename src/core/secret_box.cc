#include "core/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "core/base64.h"
#include "core/ids.h"

namespace hookline {

namespace {

constexpr std::string_view kVersionedPrefix = "sealed:v1:";
constexpr size_t kKeyIdDigits = 8;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

Error failure(std::string message) { return {ErrorCode::kInternal, std::move(message), {}}; }

struct CipherFree {
  void operator()(EVP_CIPHER* cipher) const { EVP_CIPHER_free(cipher); }
};
struct ContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_CIPHER_CTX, ContextFree>;

const auto* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// The parts of a sealed value; nullopt when it is not in the sealed form.
struct SealedParts {
  std::string key_id;
  std::string blob;  // nonce | ciphertext | tag
};
std::optional<SealedParts> parse(std::string_view value) {
  if (!value.starts_with(kVersionedPrefix)) return std::nullopt;
  value.remove_prefix(kVersionedPrefix.size());
  if (value.size() < kKeyIdDigits + 1 || value[kKeyIdDigits] != ':') return std::nullopt;
  const std::string_view id = value.substr(0, kKeyIdDigits);
  if (!std::ranges::all_of(id,
                           [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return std::nullopt;
  auto blob = base64_decode(value.substr(kKeyIdDigits + 1));
  if (!blob || blob->size() < kNonceBytes + kTagBytes) return std::nullopt;
  return SealedParts{std::string(id), std::move(*blob)};
}

}  // namespace

struct SecretBox::Keys {
  struct Key {
    std::string id;
    std::string bytes;
  };
  std::vector<Key> keys;  // the current one first
  std::unique_ptr<EVP_CIPHER, CipherFree> cipher;

  ~Keys() {
    for (Key& key : keys) OPENSSL_cleanse(key.bytes.data(), key.bytes.size());
  }
  const Key* find(std::string_view id) const {
    auto it = std::ranges::find(keys, id, &Key::id);
    return it == keys.end() ? nullptr : &*it;
  }
};

Result<SecretBox> SecretBox::make(std::string current_key, std::vector<std::string> other_keys) {
  auto keys = std::make_unique<Keys>();
  other_keys.insert(other_keys.begin(), std::move(current_key));
  for (std::string& bytes : other_keys) {
    if (bytes.size() != kKeyBytes) {
      OPENSSL_cleanse(bytes.data(), bytes.size());
      return std::unexpected(
          Error::validation("key", "a secrets key is " + std::to_string(kKeyBytes) +
                                       " bytes, not " + std::to_string(bytes.size())));
    }
    std::string id = key_id(bytes);
    if (keys->find(id) == nullptr) keys->keys.push_back({std::move(id), std::move(bytes)});
  }
  // Fetched once: an implicit fetch on every seal or open would look the algorithm up each time.
  keys->cipher.reset(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  if (!keys->cipher) return std::unexpected(failure("OpenSSL has no AES-256-GCM"));
  return SecretBox(std::move(keys));
}

SecretBox::SecretBox(std::unique_ptr<Keys> keys) : keys_(std::move(keys)) {}
SecretBox::SecretBox(SecretBox&&) noexcept = default;
SecretBox& SecretBox::operator=(SecretBox&&) noexcept = default;
SecretBox::~SecretBox() = default;

Result<std::string> SecretBox::seal(std::string_view plaintext,
                                    std::string_view associated_data) const {
  const Keys::Key& key = keys_->keys.front();
  std::string blob(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  if (RAND_bytes(out, static_cast<int>(kNonceBytes)) != 1) {
    return std::unexpected(failure("cannot seal a secret: no random nonce"));
  }
  Context context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  if (!context ||
      EVP_EncryptInit_ex2(context.get(), keys_->cipher.get(), bytes_of(key.bytes), out, nullptr) !=
          1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &length, bytes_of(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), out + kNonceBytes, &length, bytes_of(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), out + kNonceBytes + length, &final_length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          out + kNonceBytes + plaintext.size()) != 1) {
    return std::unexpected(failure("cannot seal a secret: OpenSSL failed"));
  }
  std::string sealed(kVersionedPrefix);
  sealed.append(key.id).append(":").append(base64_encode(blob));
  return sealed;
}

Result<std::string> SecretBox::open(std::string_view sealed,
                                    std::string_view associated_data) const {
  auto parts = parse(sealed);
  if (!parts) return std::unexpected(failure("a sealed secret is malformed"));
  const Keys::Key* key = keys_->find(parts->key_id);
  if (key == nullptr) {
    return std::unexpected(failure("a secret is sealed with key id " + parts->key_id +
                                   ", and the secrets key is " + current_key_id()));
  }
  const auto* in = bytes_of(parts->blob);
  const size_t cipher_bytes = parts->blob.size() - kNonceBytes - kTagBytes;
  std::string plaintext(cipher_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  Context context(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  // The tag is a const input; OpenSSL's ctrl takes it as void*, and only reads it.
  std::string tag(parts->blob.substr(kNonceBytes + cipher_bytes));
  const bool opened = context &&
                      EVP_DecryptInit_ex2(context.get(), keys_->cipher.get(), bytes_of(key->bytes),
                                          in, nullptr) == 1 &&
                      EVP_DecryptUpdate(context.get(), nullptr, &length, bytes_of(associated_data),
                                        static_cast<int>(associated_data.size())) == 1 &&
                      EVP_DecryptUpdate(context.get(), out, &length, in + kNonceBytes,
                                        static_cast<int>(cipher_bytes)) == 1 &&
                      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG,
                                          static_cast<int>(kTagBytes), tag.data()) == 1 &&
                      EVP_DecryptFinal_ex(context.get(), out + length, &final_length) == 1;
  if (!opened) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return std::unexpected(failure("a secret sealed with key id " + parts->key_id +
                                   " does not open: it was changed, or belongs to another row"));
  }
  return plaintext;
}

bool SecretBox::is_sealed(std::string_view value) { return value.starts_with(kPrefix); }

std::string SecretBox::key_id_of(std::string_view value) {
  auto parts = parse(value);
  return parts ? parts->key_id : std::string();
}

std::string SecretBox::key_id(std::string_view key) {
  return sha256_hex(key).substr(0, kKeyIdDigits);
}

const std::string& SecretBox::current_key_id() const { return keys_->keys.front().id; }

bool SecretBox::holds(std::string_view key_id) const { return keys_->find(key_id) != nullptr; }

}  // namespace hookline
