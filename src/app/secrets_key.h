#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/settings.h"

// The master key that seals webhook secrets at rest (core/secret_box.h): where it comes from, and
// its file. A key file holds the base64 of 32 random bytes on one line, and only its owner may
// read it (mode 0600 or 0400): a file that group or others may read is refused, as ssh refuses
// such a private key. Failures throw std::runtime_error with a message fit for the operator.
namespace hookline::app {

struct SecretsKey {
  std::string bytes;   // SecretBox::kKeyBytes of them
  std::string source;  // where it came from, for messages: "--secrets-key-file /k", ...
  // The file made on this start because none was there (SQLite's default); empty otherwise.
  std::filesystem::path created;
};

// The key from the settings: --secrets-key-file (HOOKLINE_SECRETS_KEY_FILE, or the config file),
// or HOOKLINE_SECRETS_KEY (the key itself, in base64, for containers); one of them, not both.
// With neither: `default_file` when given (SQLite: secrets.key beside the database), made with a
// fresh key when `create` and it does not exist yet; else nullopt.
std::optional<SecretsKey> find_secrets_key(const Settings& settings,
                                           const std::optional<std::filesystem::path>& default_file,
                                           bool create);

// The key in a key file, checked (size, format, permissions).
std::string read_key_file(const std::filesystem::path& path);

// Makes `path` with a fresh random key, mode 0600, unless a file is there already (which is never
// overwritten, even by a process making it at the same moment): true when it made it. The file
// appears whole or not at all (written aside, synced, then linked into place).
bool create_key_file(const std::filesystem::path& path);

}  // namespace hookline::app
