#include "api/json/webhook_json.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "api/json/body_reader.h"
#include "core/header_rules.h"
#include "core/webhook_codec.h"
#include "templates/template.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

template <typename T>
using R = Result<T>;

// The message already says where (templates/template.h): said twice it reads as two mistakes.
Error template_error(const std::string& field, const templates::SyntaxError& error) {
  return Error::validation(field, field + ": " + error.message);
}

R<void> check_template(const std::string& field, std::string_view text) {
  auto parsed = templates::Template::parse(text);
  if (!parsed) return std::unexpected(template_error(field, parsed.error()));
  return {};
}

R<WebhookAuth> parse_auth(const json::object* object) {
  if (object == nullptr) return WebhookAuth{};
  FieldReader auth(*object, "auth");
  auto type = auth.required_string("type");
  if (!type) return std::unexpected(type.error());
  if (*type == "none") return WebhookAuth{};
  if (*type == "basic") {
    auto username = auth.required_string("username", 200);
    if (!username) return std::unexpected(username.error());
    auto password = auth.optional_string("password", 500);
    if (!password) return std::unexpected(password.error());
    // Basic credentials are "user:password": a colon in the user would split in the wrong place.
    if (username->find(':') != std::string::npos) {
      return std::unexpected(
          Error::validation("auth.username", "auth.username may not contain ':'"));
    }
    if (has_line_break(*username) || has_line_break(password->value_or(""))) {
      return std::unexpected(Error::validation("auth", "credentials may not contain CR or LF"));
    }
    return BasicAuth{std::move(*username), password->value_or("")};
  }
  if (*type == "token") {
    auto token = auth.required_string("token", 4096);
    if (!token) return std::unexpected(token.error());
    auto header = auth.optional_string("header", 256);
    if (!header) return std::unexpected(header.error());
    auto prefix = auth.optional_string("prefix", 100);
    if (!prefix) return std::unexpected(prefix.error());
    TokenAuth out{std::move(*token), header->value_or("Authorization"), ""};
    // Bearer is the default only in Authorization; a custom header (X-Api-Key) carries the bare
    // token.
    out.prefix = prefix->value_or(iequals(out.header, "Authorization") ? "Bearer" : "");
    if (!is_header_name(out.header)) {
      return std::unexpected(
          Error::validation("auth.header", "auth.header is not a valid header name"));
    }
    if (is_reserved_header(out.header)) {
      return std::unexpected(
          Error::validation("auth.header", "auth.header " + out.header + " cannot be set"));
    }
    if (has_line_break(out.token) || has_line_break(out.prefix)) {
      return std::unexpected(
          Error::validation("auth.token", "auth.token may not contain CR or LF"));
    }
    return out;
  }
  return std::unexpected(
      Error::validation("auth.type", "auth.type must be one of none, basic, token"));
}

std::string auth_header_name(const WebhookAuth& auth) {
  if (std::holds_alternative<BasicAuth>(auth)) return "Authorization";
  if (const auto* token = std::get_if<TokenAuth>(&auth)) return token->header;
  return "";
}

R<std::vector<HeaderTemplate>> parse_headers(const json::array* array, const WebhookAuth& auth) {
  std::vector<HeaderTemplate> headers;
  if (array == nullptr) return headers;
  if (array->size() > 50)
    return std::unexpected(Error::validation("headers", "at most 50 headers"));
  const std::string auth_header = auth_header_name(auth);
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string field = "headers[" + std::to_string(i) + "]";
    if (!(*array)[i].is_object()) {
      return std::unexpected(
          Error::validation(field, field + " must be an object with name and value"));
    }
    FieldReader row((*array)[i].get_object(), field);
    auto name = row.required_string("name", 256);
    if (!name) return std::unexpected(name.error());
    auto value = row.optional_string("value", 8192);
    if (!value) return std::unexpected(value.error());
    if (!is_header_name(*name)) {
      return std::unexpected(
          Error::validation(field + ".name", "'" + *name + "' is not a valid header name"));
    }
    if (is_reserved_header(*name)) {
      return std::unexpected(
          Error::validation(field + ".name", "the header " + *name + " cannot be overridden"));
    }
    if (!auth_header.empty() && iequals(*name, auth_header)) {
      return std::unexpected(Error::validation(
          field + ".name", "the header " + *name + " is already set by the authentication"));
    }
    if (std::ranges::any_of(headers, [&](const auto& h) { return iequals(h.name, *name); })) {
      return std::unexpected(
          Error::validation(field + ".name", "the header " + *name + " is repeated"));
    }
    if (has_line_break(value->value_or(""))) {
      return std::unexpected(
          Error::validation(field + ".value", field + ".value may not contain CR or LF"));
    }
    if (auto ok = check_template(field + ".value", value->value_or("")); !ok) {
      return std::unexpected(ok.error());
    }
    headers.push_back({std::move(*name), value->value_or("")});
  }
  return headers;
}

R<std::optional<json::object>> parse_custom_payload(const json::object* object) {
  if (object == nullptr) return std::optional<json::object>();
  if (object->size() > 100) {
    return std::unexpected(Error::validation("custom_payload", "at most 100 custom payload keys"));
  }
  for (const auto& [key, value] : *object) {
    const std::string field = "custom_payload." + std::string(key);
    if (key.empty()) return std::unexpected(Error::validation("custom_payload", "a key is empty"));
    if (value.is_string()) {
      if (auto ok = check_template(field, value.get_string()); !ok)
        return std::unexpected(ok.error());
    }
  }
  return std::optional<json::object>(*object);
}

R<std::vector<std::string>> parse_events(const json::array* array) {
  std::vector<std::string> events;
  if (array == nullptr) return events;
  if (array->size() > kMaxSubscribedEvents) {
    return std::unexpected(Error::validation(
        "events", "events may list at most " + std::to_string(kMaxSubscribedEvents) + " names"));
  }
  std::unordered_set<std::string_view> seen;  // views into `array`, which outlives them
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string field = "events[" + std::to_string(i) + "]";
    const json::value& item = (*array)[i];
    if (!item.is_string() || !is_event_name(item.get_string())) {
      return std::unexpected(Error::validation(
          field,
          field +
              " must be an event name like list.add_contact ([a-z0-9_] segments joined by dots)"));
    }
    // Repeats are kept once, in the order first given.
    if (seen.insert(std::string_view(item.get_string())).second) {
      events.emplace_back(item.get_string());
    }
  }
  return events;
}

// The subscription's filters: every one must hold for a subscribed event to make a delivery.
R<std::vector<Filter>> parse_filters(const json::array* array) {
  std::vector<Filter> filters;
  if (array == nullptr) return filters;
  if (array->size() > kMaxWebhookFilters) {
    return std::unexpected(Error::validation(
        "filters", "filters may list at most " + std::to_string(kMaxWebhookFilters) + " filters"));
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string field = "filters[" + std::to_string(i) + "]";
    auto filter = read_filter((*array)[i]);
    if (!filter) {
      const std::string& key = filter.error().field;
      return std::unexpected(Error::validation(key.empty() ? field : field + "." + key,
                                               field + ": " + filter.error().message));
    }
    filters.push_back(std::move(*filter));
  }
  return filters;
}

}  // namespace

Result<WebhookSpec> parse_webhook_spec(const json::object& body) {
  FieldReader fields(body);
  WebhookSpec spec;

  auto name = fields.required_string("name", 200);
  if (!name) return std::unexpected(name.error());
  spec.name = std::move(*name);

  auto url = fields.required_string("url", 4096);
  if (!url) return std::unexpected(url.error());
  if (auto checked = templates::check_url_template(*url); !checked) {
    return std::unexpected(template_error("url", checked.error()));
  }
  spec.url = std::move(*url);

  auto method = fields.optional_string("method", 10);
  if (!method) return std::unexpected(method.error());
  spec.method = method->value_or("POST");
  std::ranges::transform(spec.method, spec.method.begin(),
                         [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (spec.method != "POST" && spec.method != "PUT" && spec.method != "PATCH") {
    return std::unexpected(Error::validation("method", "method must be POST, PUT or PATCH"));
  }

  auto auth_object = fields.optional_object("auth");
  if (!auth_object) return std::unexpected(auth_object.error());
  auto auth = parse_auth(*auth_object);
  if (!auth) return std::unexpected(auth.error());
  spec.auth = std::move(*auth);

  auto header_array = fields.optional_array("headers");
  if (!header_array) return std::unexpected(header_array.error());
  auto headers = parse_headers(*header_array, spec.auth);
  if (!headers) return std::unexpected(headers.error());
  spec.headers = std::move(*headers);

  auto payload_object = fields.optional_data("custom_payload");
  if (!payload_object) return std::unexpected(payload_object.error());
  auto payload = parse_custom_payload(*payload_object);
  if (!payload) return std::unexpected(payload.error());
  spec.custom_payload = std::move(*payload);

  auto event_array = fields.optional_array("events");
  if (!event_array) return std::unexpected(event_array.error());
  auto events = parse_events(*event_array);
  if (!events) return std::unexpected(events.error());
  spec.events = std::move(*events);

  auto filter_array = fields.optional_array("filters");
  if (!filter_array) return std::unexpected(filter_array.error());
  auto filters = parse_filters(*filter_array);
  if (!filters) return std::unexpected(filters.error());
  spec.filters = std::move(*filters);

  auto enabled = fields.optional_bool("enabled");
  if (!enabled) return std::unexpected(enabled.error());
  spec.enabled = enabled->value_or(true);

  auto self_heal = fields.optional_bool("self_heal");
  if (!self_heal) return std::unexpected(self_heal.error());
  spec.self_heal = self_heal->value_or(true);

  auto ordering = fields.optional_string("ordering", 20);
  if (!ordering) return std::unexpected(ordering.error());
  if (*ordering) {
    auto parsed = parse_webhook_ordering(**ordering);
    if (!parsed) {
      return std::unexpected(
          Error::validation("ordering", "ordering must be \"none\" or \"per_contact\""));
    }
    spec.ordering = *parsed;
  }

  auto timeout = fields.optional_int("timeout_ms");
  if (!timeout) return std::unexpected(timeout.error());
  const int64_t timeout_ms = timeout->value_or(kDefaultTimeoutMs);
  if (timeout_ms < kMinTimeoutMs || timeout_ms > kMaxTimeoutMs) {
    return std::unexpected(Error::validation(
        "timeout_ms", "timeout_ms must be between " + std::to_string(kMinTimeoutMs) + " and " +
                          std::to_string(kMaxTimeoutMs)));
  }
  spec.timeout_ms = static_cast<int>(timeout_ms);

  auto in_flight = fields.optional_int("max_in_flight");
  if (!in_flight) return std::unexpected(in_flight.error());
  const int64_t max_in_flight = in_flight->value_or(kDefaultMaxInFlight);
  if (max_in_flight < 1 || max_in_flight > kMaxMaxInFlight) {
    return std::unexpected(Error::validation(
        "max_in_flight", "max_in_flight must be between 1 and " + std::to_string(kMaxMaxInFlight)));
  }
  spec.max_in_flight = static_cast<int>(max_in_flight);

  auto rate = fields.optional_int("rate_limit_per_second");
  if (!rate) return std::unexpected(rate.error());
  const int64_t rate_limit = rate->value_or(0);
  if (rate_limit < 0 || rate_limit > kMaxRateLimit) {
    return std::unexpected(Error::validation(
        "rate_limit_per_second",
        "rate_limit_per_second must be between 0 (no limit) and " + std::to_string(kMaxRateLimit)));
  }
  spec.rate_limit_per_second = static_cast<int>(rate_limit);
  return spec;
}

std::string mask_secret(std::string_view secret) {
  if (secret.size() < 12) return "****";
  return "****" + std::string(secret.substr(secret.size() - 4));
}

json::object webhook_to_json(const Webhook& webhook, bool reveal_secret) {
  const WebhookSpec& spec = webhook.spec;
  json::object auth = auth_to_json(spec.auth);
  if (auto* password = auth.if_contains("password")) *password = mask_secret(password->as_string());
  if (auto* token = auth.if_contains("token")) *token = mask_secret(token->as_string());
  json::array headers = headers_to_json(spec.headers);
  for (json::value& header : headers) {
    json::object& row = header.as_object();
    if (is_credential_header(row.at("name").as_string())) {
      row["value"] = mask_secret(row.at("value").as_string());
    }
  }
  json::array events;
  for (const auto& event : spec.events) events.emplace_back(event);
  json::object out{
      {"id", webhook.id},
      {"name", spec.name},
      {"url", spec.url},
      {"method", spec.method},
      {"auth", std::move(auth)},
      {"headers", std::move(headers)},
      {"custom_payload",
       spec.custom_payload ? json::value(*spec.custom_payload) : json::value(nullptr)},
      {"events", std::move(events)},
      {"filters", filters_to_json(spec.filters)},
      {"enabled", spec.enabled},
      {"self_heal", spec.self_heal},
      {"ordering", webhook_ordering_name(spec.ordering)},
      {"timeout_ms", spec.timeout_ms},
      {"max_in_flight", spec.max_in_flight},
      {"rate_limit_per_second", spec.rate_limit_per_second > 0
                                    ? json::value(spec.rate_limit_per_second)
                                    : json::value(nullptr)},
      {"secret", reveal_secret ? webhook.secret : "whsec_" + mask_secret(webhook.secret)},
      // Why Hookline disabled it itself ("gone": the receiver answered 410 Gone; "failing": it
      // failed for --disable-failing-after), and when.
      {"disabled_reason", webhook.disabled_reason.empty() ? json::value(nullptr)
                                                          : json::value(webhook.disabled_reason)},
      {"disabled_at",
       webhook.disabled_reason.empty() ? json::value(nullptr) : json::value(webhook.disabled_at)},
      {"healed_at", webhook.healed_at > 0 ? json::value(webhook.healed_at) : json::value(nullptr)},
      {"previous_secret_expires_at", webhook.previous_secret.empty()
                                         ? json::value(nullptr)
                                         : json::value(webhook.previous_secret_expires_at)},
      {"created_at", webhook.created_at},
      {"updated_at", webhook.updated_at},
  };
  return out;
}

json::object apply_webhook_patch(const WebhookSpec& stored, const json::object& patch) {
  json::array events;
  for (const auto& event : stored.events) events.emplace_back(event);
  json::object merged{
      {"name", stored.name},
      {"url", stored.url},
      {"method", stored.method},
      {"auth", auth_to_json(stored.auth)},
      {"headers", headers_to_json(stored.headers)},
      {"custom_payload",
       stored.custom_payload ? json::value(*stored.custom_payload) : json::value(nullptr)},
      {"events", std::move(events)},
      {"filters", filters_to_json(stored.filters)},
      {"enabled", stored.enabled},
      {"self_heal", stored.self_heal},
      {"ordering", webhook_ordering_name(stored.ordering)},
      {"timeout_ms", stored.timeout_ms},
      {"max_in_flight", stored.max_in_flight},
      {"rate_limit_per_second", stored.rate_limit_per_second},
  };
  const json::object stored_auth = merged["auth"].as_object();
  for (const auto& [key, value] : patch) merged[key] = value;
  if (const json::value* auth = patch.if_contains("auth"); auth != nullptr && auth->is_object()) {
    json::object& patched = merged["auth"].as_object();
    const bool same_type = patched.if_contains("type") && stored_auth.if_contains("type") &&
                           patched.at("type") == stored_auth.at("type");
    for (const char* secret : {"password", "token"}) {
      if (!same_type || !stored_auth.contains(secret)) continue;
      // Absent, or the mask a GET gave out: the form never saw the secret, so keep it.
      const json::value* given = patched.if_contains(secret);
      const std::string stored_secret(stored_auth.at(secret).as_string());
      if (given == nullptr ||
          (given->is_string() && given->get_string() == mask_secret(stored_secret))) {
        patched[secret] = stored_auth.at(secret);
      }
    }
  }
  // A credential header sent back as the mask a GET gave out keeps its stored value.
  if (const json::value* headers = patch.if_contains("headers"); headers && headers->is_array()) {
    for (json::value& item : merged["headers"].as_array()) {
      if (!item.is_object()) continue;
      json::object& row = item.as_object();
      const json::value* name = row.if_contains("name");
      const json::value* value = row.if_contains("value");
      if (!name || !name->is_string() || !value || !value->is_string()) continue;
      for (const HeaderTemplate& kept : stored.headers) {
        if (iequals(kept.name, name->get_string()) && is_credential_header(kept.name) &&
            value->get_string() == mask_secret(kept.value)) {
          row["value"] = kept.value;
        }
      }
    }
  }
  return merged;
}

}  // namespace hookline::api
