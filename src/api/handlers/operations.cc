// Operations: liveness, readiness and the API description.
#include "api/handlers/routes.h"
#include "api/responses.h"

namespace hookline::api {

std::string_view openapi_document();  // embedded from openapi.json at build time

void add_operations_routes(Router& router, Services& services) {
  router.add("GET", "/healthz", [](ApiRequest&) {
    return json_response(200, boost::json::object{{"status", "ok"}});
  });

  // Ready when the store answers: a node that cannot reach its database should get no traffic.
  router.add("GET", "/readyz", [&services](ApiRequest&) {
    auto keys = services.store.count_api_keys();
    if (!keys) {
      return json_response(
          503, boost::json::object{{"status", "unavailable"}, {"reason", keys.error().message}});
    }
    return json_response(200, boost::json::object{{"status", "ready"}});
  });

  // Prometheus text format: what an operator graphs and alerts on.
  router.add("GET", "/metrics", [&services](ApiRequest&) {
    const delivery::DispatcherStats stats = services.dispatcher_stats();
    std::string text;
    auto metric = [&text](std::string_view name, std::string_view type, std::string_view help,
                          int64_t value) {
      text.append("# HELP ").append(name).append(" ").append(help).append("\n");
      text.append("# TYPE ").append(name).append(" ").append(type).append("\n");
      text.append(name).append(" ").append(std::to_string(value)).append("\n");
    };
    metric("hookline_deliveries_in_flight", "gauge", "Webhook calls sent and not answered yet.",
           stats.in_flight);
    metric("hookline_deliveries_queued", "gauge",
           "Deliveries in memory waiting for a free slot of their webhook.", stats.queued);
    metric("hookline_deliveries_succeeded_total", "counter", "Deliveries that succeeded.",
           stats.succeeded);
    metric("hookline_attempts_failed_total", "counter",
           "Tries that did not succeed (retried later or dead).", stats.failed);
    metric("hookline_deliveries_dead_total", "counter",
           "Deliveries that ran out of tries or failed finally.", stats.dead);
    metric("hookline_deliveries_released_total", "counter",
           "Deliveries handed back to the store for later.", stats.released);
    metric("hookline_breakers_open", "gauge", "Webhooks whose circuit breaker is open or probing.",
           stats.breakers_open);
    metric("hookline_store_write_errors_total", "counter",
           "Store writes of the dispatcher that failed.", stats.write_errors);
    ApiResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = std::move(text);
    return response;
  });

  router.add("GET", "/openapi.json", [](ApiRequest&) {
    ApiResponse response;
    response.body = std::string(openapi_document());
    return response;
  });
}

}  // namespace hookline::api
