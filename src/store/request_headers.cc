#include "store/request_headers.h"

namespace hookline::store {

namespace {

// Keys are written by Boost.JSON with their quotes unescaped and values with theirs escaped, so
// this text occurs in a headers object only as the key itself.
constexpr std::string_view kSignatureKey = "\"webhook-signature\":";
constexpr std::string_view kIdKey = "\"webhook-id\":";

std::string derived(std::string_view delivery_id, int64_t started_at_ms) {
  std::string out;
  out.append(kIdKey).append("\"").append(delivery_id).append("\",\"webhook-timestamp\":\"");
  out.append(std::to_string(started_at_ms / 1000)).append("\",");
  return out;
}

}  // namespace

std::string expand_request_headers(std::string_view stored, std::string_view delivery_id,
                                   int64_t started_at_ms) {
  const size_t signature = stored.find(kSignatureKey);
  if (signature == std::string_view::npos || stored.find(kIdKey) != std::string_view::npos) {
    return std::string(stored);
  }
  std::string out(stored.substr(0, signature));
  out.append(derived(delivery_id, started_at_ms)).append(stored.substr(signature));
  return out;
}

std::string compact_request_headers(std::string_view headers, std::string_view delivery_id,
                                    int64_t started_at_ms) {
  const std::string pair = derived(delivery_id, started_at_ms);
  const size_t signature = headers.find(kSignatureKey);
  if (signature == std::string_view::npos || signature < pair.size() ||
      headers.substr(signature - pair.size(), pair.size()) != pair) {
    return std::string(headers);
  }
  std::string out(headers.substr(0, signature - pair.size()));
  out.append(headers.substr(signature));
  // Only what reads back the same is stored short.
  if (expand_request_headers(out, delivery_id, started_at_ms) != headers) {
    return std::string(headers);
  }
  return out;
}

}  // namespace hookline::store
