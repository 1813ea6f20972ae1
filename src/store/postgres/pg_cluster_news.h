#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/delivery_queue.h"

// The payload of a breaker's NOTIFY (PgWriteTxn::share_breaker, PgClusterWatch): a small JSON
// object, so nodes of different versions can add fields without breaking each other.
namespace hookline::store::postgres {

std::string encode_breaker_news(const BreakerNews& news);
// nullopt for a payload that is not a breaker's news (malformed, or a field missing).
std::optional<BreakerNews> decode_breaker_news(std::string_view payload);

}  // namespace hookline::store::postgres
