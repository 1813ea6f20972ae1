#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "delivery/dispatcher.h"
#include "delivery/healer.h"
#include "delivery/lifecycle.h"
#include "delivery/target_guard.h"
#include "ingest/ingest.h"
#include "store/retention.h"
#include "store/store.h"

namespace hookline::api {

// What handlers work with. Owned by app/, which outlives the server.
struct Services {
  store::Store& store;
  const Clock& clock;
  ingest::Ingest& ingest;
  const delivery::TargetGuard& guard;
  // How long a rotated-out signing secret keeps signing beside the new one.
  std::chrono::milliseconds rotation_overlap;
  // What the API may do to deliveries: retry, recover, a webhook's change, the Test call.
  delivery::Lifecycle& deliveries;
  // A webhook's circuit breaker as the dispatcher sees it; nullopt when it has none (closed).
  std::function<std::optional<delivery::BreakerSnapshot>(const std::string& webhook_id)>
      breaker_state;
  // The dispatcher's counters, for /metrics.
  std::function<delivery::DispatcherStats()> dispatcher_stats;
  // The dispatcher's histograms and per-webhook counters, for /metrics.
  std::function<void(PrometheusText&)> write_dispatcher_metrics;
  // This node's id (--node-id): /healthz and /metrics say which node answered.
  std::string node_id;
  // The memory allocator the binary runs on (app/allocator.h), for /metrics.
  std::string allocator;
  // How long the log is kept (--retention), as given and in ms, and what retention removed.
  std::string retention;
  int64_t retention_ms = 0;
  std::function<store::Retention::Stats()> retention_stats;
  // What self-healing did on this node (delivery/healer.h), for /metrics.
  std::function<delivery::Healer::Stats()> healer_stats;
  // Drops a revoked key from this node's memory of keys (ApiKeys::forget), by the key's hash.
  std::function<void(const std::string& key_hash)> forget_key;
};

}  // namespace hookline::api
