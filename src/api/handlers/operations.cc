// Operations: liveness, readiness and the API description.
#include "api/handlers/routes.h"
#include "api/responses.h"
#include "core/logger.h"
#include "core/prometheus_text.h"

namespace hookline::api {

std::string_view openapi_document();  // embedded from openapi.json at build time

void add_operations_routes(Router& router, Services& services) {
  // Which node answered and what it holds in memory (every delivery there is leased to it). Cheap:
  // no store read, so a load balancer may ask as often as it likes.
  router.add("GET", "/healthz", [&services](ApiRequest&) {
    const delivery::DispatcherStats stats = services.dispatcher_stats();
    return json_response(
        200, boost::json::object{{"status", "ok"},
                                 {"node", services.node_id},
                                 {"deliveries", boost::json::object{{"in_flight", stats.in_flight},
                                                                    {"queued", stats.queued}}}});
  });

  // Ready when the store answers and has room: a node that cannot store what it is sent should
  // get no traffic.
  router.add("GET", "/readyz", [&services](ApiRequest&) {
    if (services.store.storage_full()) {
      return json_response(503, boost::json::object{{"status", "unavailable"},
                                                    {"reason", "the disk is full: writes fail"}});
    }
    auto keys = services.store.count_api_keys();
    if (!keys) {
      return json_response(
          503, boost::json::object{{"status", "unavailable"}, {"reason", keys.error().message}});
    }
    return json_response(200, boost::json::object{{"status", "ready"}});
  });

  // Prometheus text format: what an operator graphs and alerts on.
  router.add("GET", "/metrics", [&services, &router](ApiRequest&) {
    const delivery::DispatcherStats stats = services.dispatcher_stats();
    PrometheusText text;
    // --node-id keeps to letters, digits and . - _ : so it needs no escaping as a label value.
    text.family("hookline_node_info", "gauge", "The node that answered (--node-id).")
        .sample("hookline_node_info", {{"node", services.node_id}}, 1);
    text.family("hookline_build_info", "gauge", "How this binary was built.")
        .sample("hookline_build_info", {{"allocator", services.allocator}}, 1);
    text.single("hookline_deliveries_in_flight", "gauge",
                "Webhook calls sent and not answered yet.", stats.in_flight);
    text.single("hookline_deliveries_queued", "gauge",
                "Deliveries in memory waiting for a free slot of their webhook.", stats.queued);
    text.single("hookline_deliveries_succeeded_total", "counter", "Deliveries that succeeded.",
                stats.succeeded);
    text.single("hookline_attempts_failed_total", "counter",
                "Tries that did not succeed (retried later or dead).", stats.failed);
    text.single("hookline_deliveries_dead_total", "counter",
                "Deliveries that ran out of tries or failed finally.", stats.dead);
    text.single("hookline_deliveries_released_total", "counter",
                "Deliveries handed back to the store for later.", stats.released);
    text.single("hookline_breakers_open", "gauge",
                "Webhooks whose circuit breaker is open or probing.", stats.breakers_open);
    text.single("hookline_store_write_errors_total", "counter",
                "Store writes of the dispatcher that failed.", stats.write_errors);
    services.write_dispatcher_metrics(text);
    services.ingest.write_prometheus(text);
    const store::Retention::Stats removed = services.retention_stats();
    text.single("hookline_retention_seconds", "gauge",
                "How long events and ended deliveries are kept (--retention).",
                static_cast<double>(services.retention_ms / 1000));
    text.single(
        "hookline_retention_deliveries_removed_total", "counter",
        "Ended deliveries removed (with their attempts) because they were older than retention.",
        removed.deliveries_removed);
    text.single("hookline_retention_events_removed_total", "counter",
                "Events removed because they were older than retention.", removed.events_removed);
    text.single("hookline_contacts_forgotten_total", "counter",
                "Deleted contacts whose events and deliveries this node finished removing.",
                removed.contacts_forgotten);
    text.single("hookline_ordered_chains_released_total", "counter",
                "Contacts of ordered webhooks whose queued calls waited behind none unfinished, "
                "released by store upkeep (should stay 0: report it if not).",
                removed.chains_released);
    const delivery::Healer::Stats healing = services.healer_stats();
    text.single("hookline_heal_probes_total", "counter",
                "Probes this node sent to webhooks Hookline had disabled (self-healing).",
                healing.probes);
    text.single("hookline_webhooks_healed_total", "counter",
                "Webhooks this node enabled again because their receiver answered a probe with "
                "200.",
                healing.healed);
    const int64_t now_ms = services.clock.now_ms();
    if (auto queue = services.store.queue_counts(services.node_id, now_ms)) {
      text.single("hookline_queue_due", "gauge",
                  "Unfinished deliveries due now and held by no node (every node's store).",
                  queue->due);
      text.single("hookline_queue_oldest_due_seconds", "gauge",
                  "How long the delivery due longest has been waiting to be sent (0: none due). "
                  "Growing: the nodes do not keep up, or a webhook holds its deliveries back.",
                  static_cast<double>(std::max<int64_t>(0, now_ms - queue->oldest_due_at)) / 1e3);
      text.single("hookline_queue_scheduled", "gauge",
                  "Unfinished deliveries waiting for their next try's time.", queue->scheduled);
      text.single("hookline_queue_ordered_waiting", "gauge",
                  "Deliveries of webhooks that deliver one at a time per contact, waiting for an "
                  "earlier delivery to the same contact to end (status queued).",
                  queue->queued);
      text.single("hookline_leases_held", "gauge", "Deliveries leased to this node (--node-id).",
                  queue->leased_here);
      text.single("hookline_leases_held_elsewhere", "gauge",
                  "Deliveries leased to other nodes sharing the store.", queue->leased_elsewhere);
    } else {
      module_logger("api")->warn("metrics: cannot count the queue: {}", queue.error().message);
    }
    if (auto storage = services.store.storage_stats()) {
      text.single("hookline_store_database_bytes", "gauge", "Size of the database file.",
                  storage->database_bytes);
      text.single("hookline_store_free_bytes", "gauge",
                  "Of the database file, space freed by retention and waiting to be reused.",
                  storage->free_bytes);
      text.single("hookline_store_wal_bytes", "gauge", "Size of the write-ahead log beside it.",
                  storage->wal_bytes);
    } else {
      module_logger("api")->warn("metrics: cannot read the store's size: {}",
                                 storage.error().message);
    }
    services.store.write_writer_metrics(text);
    router.write_prometheus(text);
    ApiResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = text.take();
    return response;
  });

  // What the UI tells users about this server: how long the delivery log is kept.
  router.add("GET", "/v1/info", [&services](ApiRequest&) {
    return json_response(200, boost::json::object{{"retention", services.retention},
                                                  {"retention_ms", services.retention_ms}});
  });

  router.add("GET", "/openapi.json", [](ApiRequest&) {
    ApiResponse response;
    response.body = std::string(openapi_document());
    return response;
  });
}

}  // namespace hookline::api
