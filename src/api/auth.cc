#include "api/auth.h"

#include <ctime>
#include <mutex>

#include "core/header_rules.h"
#include "core/ids.h"
#include "core/logger.h"

namespace hookline::api {
namespace {

Error unauthorized(std::string message) {
  return {ErrorCode::kUnauthorized, std::move(message), "Authorization"};
}

std::string utc_time(int64_t unix_ms) {
  const std::time_t seconds = unix_ms / 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts));
}

// The caller a stored key makes, or why it is refused.
Result<Caller> caller_of(const ApiKey& key, int64_t now_ms) {
  if (key.revoked_at) return std::unexpected(unauthorized("this API key was revoked"));
  if (key.expires_at && now_ms >= *key.expires_at) {
    return std::unexpected(unauthorized("this API key expired at " + utc_time(*key.expires_at)));
  }
  return key;
}

}  // namespace

Result<Caller> ApiKeys::authenticate(const std::string& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !iequals(std::string_view(authorization).substr(0, kScheme.size()), kScheme)) {
    return std::unexpected(unauthorized("send an API key as Authorization: Bearer <key>"));
  }
  const std::string hash = sha256_hex(authorization.substr(kScheme.size()));
  const auto now = std::chrono::steady_clock::now();
  uint64_t generation = 0;
  {
    std::shared_lock lock(mutex_);
    if (auto it = known_.find(hash); it != known_.end() && now < it->second.until) {
      return caller_of(it->second.key, clock_.now_ms());
    }
    generation = generation_;
  }
  auto key = fetch(hash);
  if (!key) return std::unexpected(key.error());
  auto caller = caller_of(*key, clock_.now_ms());
  std::unique_lock lock(mutex_);
  // A key revoked while it was read may have been read before the revocation: this request
  // goes by what was read, the next one asks the store again.
  if (generation == generation_) {
    known_.insert_or_assign(hash, Known{std::move(*key), now + kRememberFor});
  }
  return caller;
}

Result<ApiKey> ApiKeys::fetch(const std::string& hash) {
  auto found = store_.find_api_key(hash);
  if (!found) return std::unexpected(found.error());
  if (!found->has_value()) return std::unexpected(unauthorized("the API key is not valid"));
  ApiKey& key = **found;
  const int64_t now_ms = clock_.now_ms();
  if (!key.revoked_at && (!key.last_used_at || now_ms - *key.last_used_at >= kLastUsedEveryMs)) {
    // The request goes on either way: a last-use time that could not be written is not a reason
    // to refuse a valid key, and the next refresh tries again.
    if (auto recorded = store_.record_api_key_use(key.id, now_ms); recorded) {
      key.last_used_at = now_ms;
    } else {
      module_logger("api")->warn("cannot record the use of API key {}: {}", key.id,
                                 recorded.error().message);
    }
  }
  return std::move(key);
}

void ApiKeys::forget(const std::string& key_hash) {
  std::unique_lock lock(mutex_);
  known_.erase(key_hash);
  ++generation_;
}

}  // namespace hookline::api
