#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hookline {

// What a key may do inside its workspace. Ordered from most to least: a scope allows what the
// scopes after it allow, but ingest and read allow different things (api/access.h decides).
enum class KeyScope {
  kAdmin,   // everything in the workspace, its keys included
  kWrite,   // everything but keys
  kIngest,  // only reporting events: what an app server holds
  kRead,    // GET only
};

std::string_view key_scope_name(KeyScope scope);
std::optional<KeyScope> parse_key_scope(std::string_view name);

// An API key as stored: the key itself never is, only its SHA-256 (ApiKeys::add_api_key).
struct ApiKey {
  std::string id;
  std::string workspace_id;
  std::string name;
  KeyScope scope = KeyScope::kAdmin;
  // An instance key also manages workspaces (and the keys inside any of them).
  bool instance = false;
  // The key's first characters, so a user can tell keys apart without the key.
  std::string prefix;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;    // refused from then on
  std::optional<int64_t> last_used_at;  // to the minute (api/auth.h)
  std::optional<int64_t> revoked_at;    // refused from then on; kept to say why
};

// A new key's text: "hk_" and 32 random characters.
std::string new_api_key_text();
// How many characters of a key its prefix keeps: "hk_" and 5 more, far too few to guess the rest
// of a key of new_api_key_text(). A shorter key (an operator's own --api-key) shows none.
inline constexpr size_t kApiKeyPrefixSize = 8;
inline constexpr size_t kMinKeySizeForPrefix = 24;

// The record of a new key whose text is `text`, made now; store it with
// add_api_key(key, sha256_hex(text)).
ApiKey new_api_key(std::string_view text, std::string workspace_id, std::string name,
                   KeyScope scope, bool instance, int64_t now_ms,
                   std::optional<int64_t> expires_at = std::nullopt);

struct Workspace {
  std::string id;
  std::string name;
  int64_t created_at = 0;
};

}  // namespace hookline
