#include "core/webhook_codec.h"

namespace hookline {
namespace json = boost::json;

namespace {

std::string string_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

std::string_view webhook_ordering_name(WebhookOrdering ordering) {
  return ordering == WebhookOrdering::kPerContact ? "per_contact" : "none";
}

std::optional<WebhookOrdering> parse_webhook_ordering(std::string_view name) {
  for (auto ordering : {WebhookOrdering::kNone, WebhookOrdering::kPerContact}) {
    if (webhook_ordering_name(ordering) == name) return ordering;
  }
  return std::nullopt;
}

json::object auth_to_json(const WebhookAuth& auth) {
  if (const auto* basic = std::get_if<BasicAuth>(&auth)) {
    return {{"type", "basic"}, {"username", basic->username}, {"password", basic->password}};
  }
  if (const auto* token = std::get_if<TokenAuth>(&auth)) {
    return {{"type", "token"},
            {"token", token->token},
            {"header", token->header},
            {"prefix", token->prefix}};
  }
  return {{"type", "none"}};
}

WebhookAuth auth_from_json(const json::value& value) {
  if (!value.is_object()) return std::monostate{};
  const json::object& object = value.get_object();
  const std::string type = string_at(object, "type");
  if (type == "basic")
    return BasicAuth{string_at(object, "username"), string_at(object, "password")};
  if (type == "token") {
    return TokenAuth{string_at(object, "token"), string_at(object, "header"),
                     string_at(object, "prefix")};
  }
  return std::monostate{};
}

json::array headers_to_json(const std::vector<HeaderTemplate>& headers) {
  json::array out;
  for (const auto& header : headers)
    out.push_back(json::object{{"name", header.name}, {"value", header.value}});
  return out;
}

std::vector<HeaderTemplate> headers_from_json(const json::value& value) {
  std::vector<HeaderTemplate> out;
  if (!value.is_array()) return out;
  for (const auto& item : value.get_array()) {
    if (!item.is_object()) continue;
    out.push_back({string_at(item.get_object(), "name"), string_at(item.get_object(), "value")});
  }
  return out;
}

json::array filters_to_json(const std::vector<Filter>& filters) {
  json::array out;
  out.reserve(filters.size());
  for (const Filter& filter : filters) out.push_back(filter_to_json(filter));
  return out;
}

Result<std::vector<Filter>> filters_from_json(const json::value& value) {
  std::vector<Filter> out;
  if (!value.is_array()) {
    return std::unexpected(Error{ErrorCode::kInternal, "stored filters are not an array", {}});
  }
  for (const json::value& item : value.get_array()) {
    auto filter = read_filter(item);
    if (!filter) {
      return std::unexpected(Error{
          ErrorCode::kInternal, "a stored filter does not read: " + filter.error().message, {}});
    }
    out.push_back(std::move(*filter));
  }
  return out;
}

}  // namespace hookline
