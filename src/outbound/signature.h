#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

// Standard Webhooks signing (https://www.standardwebhooks.com): what a receiver checks to trust
// that a request came from us and was not replayed with another body or timestamp.
namespace hookline::outbound {

// A new webhook secret: "whsec_" + standard base64 of 24 random bytes from the OpenSSL CSPRNG.
std::string new_signing_secret();

// One signing key, decoded and keyed once, signing any number of messages: the same values as
// sign() below, without decoding the secret and setting up HMAC-SHA256 again for every call.
// Copies share the keyed state (each message works on its own copy of it): thread-safe.
class Signer {
 public:
  // The error says why the secret is malformed (not base64, or an empty key), never echoing it.
  static std::expected<Signer, std::string> create(std::string_view secret);

  // "v1,<base64 HMAC-SHA256(key, "<msg_id>.<timestamp_s>.<body>")>".
  std::expected<std::string, std::string> sign(std::string_view msg_id, int64_t timestamp_s,
                                               std::string_view body) const;

 private:
  struct Keyed;
  explicit Signer(std::shared_ptr<const Keyed> keyed) : keyed_(std::move(keyed)) {}
  std::shared_ptr<const Keyed> keyed_;
};

// The value of one `webhook-signature` entry: "v1,<base64 HMAC-SHA256(key, msg)>" where
// msg = "<msg_id>.<timestamp_s>.<body>" and key = base64-decode(secret without its "whsec_"
// prefix). A secret without the prefix is taken as bare base64, as the reference libraries do.
// The error says why the secret is malformed (not base64, or empty key); it never echoes the
// secret.
std::expected<std::string, std::string> sign(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body);

}  // namespace hookline::outbound
