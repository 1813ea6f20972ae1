#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/filter.h"

namespace hookline {

struct BasicAuth {
  std::string username;
  std::string password;
};

// The token goes in `header` as "<prefix> <token>", or bare when prefix is empty
// (e.g. header "X-Api-Key", prefix "").
struct TokenAuth {
  std::string token;
  std::string header = "Authorization";
  std::string prefix = "Bearer";
};

using WebhookAuth = std::variant<std::monostate, BasicAuth, TokenAuth>;

struct HeaderTemplate {
  std::string name;
  std::string value;  // may hold placeholders
};

// kPerContact: a contact's deliveries go one at a time, in the order their events were accepted;
// one being retried holds back that contact's later ones (DeliveryStatus::kQueued), and other
// contacts are not held. Events about no contact are not ordered.
enum class WebhookOrdering { kNone, kPerContact };

std::string_view webhook_ordering_name(WebhookOrdering ordering);  // "none", "per_contact"
std::optional<WebhookOrdering> parse_webhook_ordering(std::string_view name);

// What a user configures: everything of a webhook but its identity and secret.
struct WebhookSpec {
  std::string name;
  std::string url;  // may hold placeholders
  std::string method = "POST";
  WebhookAuth auth;
  std::vector<HeaderTemplate> headers;
  // Key to value; string values are templates, other JSON values are sent as they are.
  // Absent means no custom_data in the body.
  std::optional<boost::json::object> custom_payload;
  std::vector<std::string> events;  // subscribed event names; may be empty
  // A subscribed event makes a delivery only when all of these hold for it (none: always).
  // A journey's Webhook block is not filtered: the journey decides there.
  std::vector<Filter> filters;
  bool enabled = true;
  int timeout_ms = 15000;
  int max_in_flight = 10;         // requests at once to this webhook
  int rate_limit_per_second = 0;  // 0: no limit
  // Disabled by Hookline itself (Webhook::disabled_reason), it is probed with the Test request
  // and enabled again when its receiver answers 200 (delivery/healer.h).
  bool self_heal = true;
  WebhookOrdering ordering = WebhookOrdering::kNone;
};

struct Webhook {
  std::string id;
  std::string workspace_id;
  WebhookSpec spec;
  std::string secret;  // "whsec_" + base64 of the key bytes (Standard Webhooks)
  // After a rotation the old secret signs too (a second signature) until it expires.
  std::string previous_secret;
  int64_t previous_secret_expires_at = 0;
  // Set when Hookline disabled the webhook itself ("gone": the receiver answered 410 Gone;
  // "failing": it failed for --disable-failing-after), and when; empty and 0 while enabled or
  // when a user disabled it.
  std::string disabled_reason;
  int64_t disabled_at = 0;
  // When self-healing last enabled it again (0: never): its held deliveries drain at a rate that
  // ramps up from then (delivery/ramp.h).
  int64_t healed_at = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

inline constexpr int kMinTimeoutMs = 100;
inline constexpr int kMaxTimeoutMs = 60000;
inline constexpr int kDefaultTimeoutMs = 15000;
inline constexpr int kDefaultMaxInFlight = 10;
inline constexpr int kMaxMaxInFlight = 100;
inline constexpr int kMaxRateLimit = 10000;
// Event names one webhook subscribes to: enough for any real subscription, and a bound on what
// one request may make the store write.
inline constexpr size_t kMaxSubscribedEvents = 1000;
inline constexpr size_t kMaxWebhookFilters = 20;

}  // namespace hookline
