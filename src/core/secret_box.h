#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hookline {

// Seals short secrets (webhook signing secrets, passwords, tokens) for storage: AES-256-GCM with a
// fresh random 12-byte nonce per value and the caller's associated data (the webhook's id), so a
// sealed value copied to another row does not open there.
//
// A sealed value is text: "sealed:v1:<key id>:<base64 of nonce | ciphertext | tag>", where the key
// id is the first 8 hex digits of the SHA-256 of the key. It names the key a value needs, so a
// wrong key is told apart from a damaged value, and during a rotation each value finds its key.
//
// The box seals with its current key and opens with the current key or any of the others it was
// given (the keys being rotated away from). Immutable once made: safe to share between threads.
class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr std::string_view kPrefix = "sealed:";

  // kValidation when a key is not kKeyBytes long.
  static Result<SecretBox> make(std::string current_key, std::vector<std::string> other_keys = {});

  SecretBox(SecretBox&&) noexcept;
  SecretBox& operator=(SecretBox&&) noexcept;
  ~SecretBox();  // wipes the keys from memory

  // kInternal only when the system's random source or OpenSSL fails.
  Result<std::string> seal(std::string_view plaintext, std::string_view associated_data) const;
  // kInternal when `sealed` is malformed, names a key the box does not hold, or does not open
  // (another key with a clashing id, a changed byte, other associated data); the message says
  // which and never holds the value.
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

  // Whether `value` is in the sealed form's shape (starts with kPrefix); says nothing of the key.
  static bool is_sealed(std::string_view value);
  // The key id a sealed value names; empty when `value` is not in the sealed form.
  static std::string key_id_of(std::string_view value);
  // The 8 hex digits that name `key`.
  static std::string key_id(std::string_view key);

  // The current key's id: what seal() writes.
  const std::string& current_key_id() const;
  // Whether the box holds a key with this id.
  bool holds(std::string_view key_id) const;

 private:
  struct Keys;
  explicit SecretBox(std::unique_ptr<Keys> keys);
  std::unique_ptr<Keys> keys_;
};

}  // namespace hookline
