// /v1/stats: what the tries of a workspace's deliveries came to over the last hour, day or week,
// per step of time and per webhook (store::DeliveryLog::delivery_stats keeps them per minute).
#include <array>
#include <cmath>
#include <string_view>

#include "api/handlers/routes.h"
#include "api/responses.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

struct WindowKind {
  std::string_view name;
  int64_t minutes;
  int64_t step_minutes;  // a chart's point: 60, 96 or 168 of them
};
constexpr std::array<WindowKind, 3> kWindows = {
    WindowKind{"1h", 60, 1}, WindowKind{"24h", 24 * 60, 15}, WindowKind{"7d", 7 * 24 * 60, 60}};

Result<WindowKind> window_kind(const std::string& name) {
  if (name.empty()) return kWindows[1];
  for (const WindowKind& kind : kWindows) {
    if (kind.name == name) return kind;
  }
  return std::unexpected(
      Error{ErrorCode::kValidation, "window must be one of 1h, 24h or 7d", "window"});
}

// The window ending with the step that holds the current minute, steps aligned to the clock (a
// day's quarters of an hour start at :00, :15, ...), so that asking again a moment later gives the
// same steps.
store::StatsWindow window_ending_now(const WindowKind& kind, int64_t now_ms) {
  const int64_t step = kind.step_minutes;
  const int64_t until = (now_ms / 60'000 / step + 1) * step;
  return {.from_minute = until - kind.minutes,
          .until_minute = until,
          .step_minutes = step,
          .webhook_id = {}};
}

json::value optional_number(std::optional<int64_t> value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object counts_to_json(const AttemptCounts& counts) {
  const auto rate = counts.success_rate();
  return {{"attempts", counts.attempts},
          {"succeeded", counts.succeeded},
          {"failed", counts.failed()},
          {"dead", counts.dead},
          // Four decimals: a rate of 0.99995 must not read as 1.
          {"success_rate",
           rate ? json::value(std::round(*rate * 10'000) / 10'000) : json::value(nullptr)},
          {"latency_p50_ms", optional_number(counts.latency_quantile(0.50))},
          {"latency_p95_ms", optional_number(counts.latency_quantile(0.95))}};
}

json::object webhook_stats_to_json(Services& services, const std::string& workspace_id,
                                   const std::string& webhook_id, const AttemptCounts& counts) {
  json::object out = counts_to_json(counts);
  out["webhook_id"] = webhook_id;
  // A webhook deleted since its tries still counts, without a name.
  auto webhook = services.store.get_webhook(workspace_id, webhook_id);
  out["name"] = webhook ? json::value(webhook->spec.name) : json::value(nullptr);
  return out;
}

ApiResponse stats_response(Services& services, const std::string& workspace_id,
                           const WindowKind& kind, const store::StatsWindow& window) {
  auto report = services.store.delivery_stats(workspace_id, window);
  if (!report) return error_response(report.error());
  AttemptCounts totals;
  json::array series;
  series.reserve(report->steps.size());
  for (size_t i = 0; i < report->steps.size(); ++i) {
    const AttemptCounts& step = report->steps[i];
    totals += step;
    json::object point = counts_to_json(step);
    point["at"] = (window.from_minute + static_cast<int64_t>(i) * window.step_minutes) * 60'000;
    series.push_back(std::move(point));
  }
  json::object body{{"window", kind.name},
                    {"from", window.from_minute * 60'000},
                    {"until", window.until_minute * 60'000},
                    {"step_ms", window.step_minutes * 60'000},
                    {"totals", counts_to_json(totals)},
                    {"series", std::move(series)}};
  if (window.webhook_id.empty()) {
    json::array webhooks;
    for (const auto& [webhook_id, counts] : report->by_webhook) {
      webhooks.push_back(webhook_stats_to_json(services, workspace_id, webhook_id, counts));
    }
    body["webhooks"] = std::move(webhooks);
  } else {
    body["webhook_id"] = window.webhook_id;
  }
  return json_response(200, body);
}

}  // namespace

void add_stats_routes(Router& router, Services& services) {
  router.add("GET", "/v1/stats", [&services](ApiRequest& request) {
    auto kind = window_kind(request.query_value("window"));
    if (!kind) return error_response(kind.error());
    store::StatsWindow window = window_ending_now(*kind, services.clock.now_ms());
    window.webhook_id = request.query_value("webhook_id");
    if (!window.webhook_id.empty()) {
      // An unknown webhook is a 404, not a window of zeros that looks like a quiet webhook.
      auto webhook = services.store.get_webhook(request.workspace_id, window.webhook_id);
      if (!webhook) return error_response(webhook.error());
    }
    return stats_response(services, request.workspace_id, *kind, window);
  });
}

}  // namespace hookline::api
