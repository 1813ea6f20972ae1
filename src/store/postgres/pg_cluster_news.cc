#include "store/postgres/pg_cluster_news.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace hookline::store::postgres {

std::string encode_breaker_news(const BreakerNews& news) {
  boost::json::object object{
      {"node", news.node_id}, {"webhook", news.webhook_id}, {"open", news.open}};
  if (news.open) {
    object["open_until"] = news.open_until_ms;
    object["interval"] = news.interval_ms;
    object["failures"] = news.consecutive_failures;
  }
  return boost::json::serialize(object);
}

std::optional<BreakerNews> decode_breaker_news(std::string_view payload) {
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(payload, error);
  if (error || !value.is_object()) return std::nullopt;
  const boost::json::object& object = value.get_object();
  const auto* node = object.if_contains("node");
  const auto* webhook = object.if_contains("webhook");
  const auto* open = object.if_contains("open");
  if (!node || !node->is_string() || !webhook || !webhook->is_string() || !open ||
      !open->is_bool()) {
    return std::nullopt;
  }
  BreakerNews news{.node_id = std::string(node->get_string()),
                   .webhook_id = std::string(webhook->get_string()),
                   .open = open->get_bool()};
  if (!news.open) return news;
  const auto* until = object.if_contains("open_until");
  const auto* interval = object.if_contains("interval");
  const auto* failures = object.if_contains("failures");
  if (!until || !until->is_int64() || !interval || !interval->is_int64() || !failures ||
      !failures->is_int64()) {
    return std::nullopt;
  }
  news.open_until_ms = until->get_int64();
  news.interval_ms = interval->get_int64();
  news.consecutive_failures = static_cast<int>(failures->get_int64());
  return news;
}

}  // namespace hookline::store::postgres
