#include "app/serve.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "api/auth.h"
#include "api/handlers/routes.h"
#include "api/key_rate_limits.h"
#include "api/server.h"
#include "app/allocator.h"
#include "app/open_store.h"
#include "core/ids.h"
#include "delivery/dispatcher.h"
#include "delivery/healer.h"
#include "delivery/lifecycle.h"
#include "delivery/node_count.h"
#include "delivery/retry_policy.h"
#include "ingest/delay_waker.h"
#include "ingest/ingest.h"
#include "journeys/journey_json.h"
#include "outbound/request_builder.h"
#include "store/retention.h"

namespace hookline::app {
namespace {

constexpr std::chrono::seconds kShutdownGrace{10};
constexpr std::chrono::milliseconds kDelayPollInterval{250};

struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};

// "127.0.0.1:8080", "[::1]:8080" or "localhost:8080"; the server resolves the host.
ListenAddress parse_listen(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return std::runtime_error("--listen " + text + ": " + why + " (expected HOST:PORT)");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) throw bad("no host and port");
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') throw bad("an IPv6 host must be in brackets");
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    throw bad("the port must be a number from 0 to 65535");
  }
  return {host, static_cast<unsigned short>(port)};
}

// --node-id, or the host name and the listen port: the same on every start of this node, and
// different for two nodes on one machine.
std::string node_id(const Settings& settings, const ListenAddress& listen) {
  std::string id = settings.node_id;
  if (id.empty()) {
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) {
      throw std::runtime_error(std::string("cannot read the host name for --node-id: ") +
                               std::strerror(errno));
    }
    id = std::string(host.data()) + ":" + std::to_string(listen.port);
  }
  const bool fits = !id.empty() && id.size() <= 128 && std::ranges::all_of(id, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
           c == ':';
  });
  if (!fits) {
    throw std::runtime_error("--node-id " + id +
                             ": use 1 to 128 letters, digits and . - _ : (e.g. web-1:8080)");
  }
  return id;
}

// Makes sure some key opens the install: the operator's --api-key, or on a first start a new one,
// printed once (only its hash is kept). Either is an instance key: it manages workspaces too.
void ensure_api_key(store::Store& store, const std::string& workspace_id, const std::string& given,
                    int64_t now_ms) {
  auto add = [&](const std::string& text, std::string name) {
    const ApiKey key = new_api_key(text, workspace_id, std::move(name), KeyScope::kAdmin,
                                   /*instance=*/true, now_ms);
    if (auto added = store.add_api_key(key, sha256_hex(text)); !added) {
      throw std::runtime_error("cannot store the API key: " + added.error().message);
    }
  };
  if (!given.empty()) return add(given, "--api-key");
  auto count = store.count_api_keys();
  if (!count) throw std::runtime_error("cannot read API keys: " + count.error().message);
  if (*count > 0) return;
  const std::string key = new_api_key_text();
  add(key, "first start");
  std::cout << "Created an API key (shown once, keep it): " << key << std::endl;
}

}  // namespace

int serve(const Settings& settings) {
  auto log = spdlog::get("app");
  const ListenAddress listen = parse_listen(settings.listen);  // before anything is opened
  const std::string node = node_id(settings, listen);
  SystemClock clock;
  auto store = open_store(settings);
  auto workspace = store->default_workspace_id(clock.now_ms());
  if (!workspace)
    throw std::runtime_error("cannot read the workspace: " + workspace.error().message);
  ensure_api_key(*store, *workspace, settings.api_key, clock.now_ms());

  auto schedule = delivery::RetrySchedule::parse(settings.retry_schedule);
  if (!schedule) throw std::runtime_error("--retry-schedule: " + schedule.error());
  auto retention_ms = journeys::parse_duration(settings.retention);
  if (!retention_ms) throw std::runtime_error("--retention: " + retention_ms.error().message);
  auto lease_ms = journeys::parse_duration(settings.lease);
  if (!lease_ms) throw std::runtime_error("--lease: " + lease_ms.error().message);
  if (*lease_ms < delivery::kMinLeaseMs) throw std::runtime_error("--lease: at least 5s");
  int64_t disable_failing_after_ms = 0;
  if (settings.disable_failing_after != "off") {
    auto after = journeys::parse_duration(settings.disable_failing_after);
    if (!after) {
      throw std::runtime_error("--disable-failing-after: " + after.error().message + ", or off");
    }
    disable_failing_after_ms = *after;
  }
  auto heal_probe_after_ms = journeys::parse_duration(settings.heal_probe_after);
  if (!heal_probe_after_ms) {
    throw std::runtime_error("--heal-probe-after: " + heal_probe_after_ms.error().message);
  }
  auto guard = delivery::TargetGuard::with_allowed(settings.allow_targets);
  if (!guard) throw std::runtime_error("--allow-targets: " + guard.error());
  const delivery::HttpClientOptions http_options{.guard = *guard,
                                                 .ca_file = settings.ca_file,
                                                 .max_response_body = 64 * 1024,
                                                 .user_agent = std::string(outbound::kUserAgent),
                                                 .max_host_connections = 0};
  // The Test button's and the healer's probes; the dispatcher's thread drives a client of its own.
  delivery::HttpClient http(http_options);

  // What Hookline does to a webhook by itself (disables it, or a probe enables it again) becomes
  // a webhook.disabled or webhook.recovered event. Ingest needs the dispatcher and the dispatcher
  // reports through ingest, so the relay learns it once both exist, before the threads that
  // report (the dispatcher's, the healer's) start, and forgets it before ingest goes (should
  // start-up fail with those threads running, they find nobody to tell).
  std::atomic<ingest::Ingest*> news_to = nullptr;
  const OnWebhookNews tell_news = [&news_to, log](WebhookNews news) {
    ingest::Ingest* const to = news_to.load();
    if (to == nullptr) return;
    const std::string webhook_id = news.webhook_id;
    to->emit_webhook_news(news, [log, webhook_id](Result<void> emitted) {
      if (!emitted) {
        log->error("webhook {}: its webhook.disabled or webhook.recovered event was not stored: {}",
                   webhook_id, emitted.error().message);
      }
    });
  };
  delivery::DispatcherOptions dispatch_options;
  dispatch_options.node_id = node;
  dispatch_options.schedule = std::move(*schedule);
  dispatch_options.lease_ms = *lease_ms;
  dispatch_options.disable_failing_after_ms = disable_failing_after_ms;
  dispatch_options.on_webhook_news = tell_news;
  delivery::Dispatcher dispatcher(std::move(dispatch_options), store->delivery_queue(), *store,
                                  http_options, clock);
  // What the other nodes sharing the store say: a webhook changed through one of them drops its
  // cached configuration at once, not when it would expire; their breakers' changes hold or free
  // this node's tries; work they make due is claimed without waiting for a poll. Declared after
  // the dispatcher, so it stops before it.
  const auto cluster_watch = store->watch_cluster(
      {.webhook_changed =
           [&dispatcher](const std::string& webhook_id) { dispatcher.webhook_changed(webhook_id); },
       .breaker_changed =
           [&dispatcher](const store::BreakerNews& news) { dispatcher.breaker_shared(news); },
       .work_due = [&dispatcher] { dispatcher.work_due(); }});
  // The nodes alive share each webhook's max_in_flight and rate limit (one node: all of them).
  const delivery::NodeCount node_count(
      [&store, &node, &clock] { return store->heartbeat(node, clock.now_ms()); },
      [&dispatcher](int nodes) { dispatcher.set_nodes(nodes); });
  delivery::Lifecycle deliveries(store->delivery_queue(), dispatcher, http, clock, node);
  delivery::Healer healer({.first_probe = std::chrono::milliseconds(*heal_probe_after_ms),
                           .on_webhook_news = tell_news},
                          *store, deliveries, clock);
  // Whatever this node had in flight when it last stopped (or crashed) is due again now; the
  // leases of other nodes sharing the store are theirs.
  auto recovered = deliveries.recover_at_start();
  if (!recovered)
    throw std::runtime_error("cannot recover deliveries: " + recovered.error().message);
  if (*recovered > 0) log->info("recovered {} deliveries that were in flight", *recovered);
  store::Retention retention({.retention_ms = *retention_ms}, *store, clock);
  ingest::Ingest ingest(
      *store, clock,
      [&dispatcher](std::vector<Delivery> fresh) { dispatcher.dispatch(std::move(fresh)); },
      ingest::FreshLease{node, *lease_ms, [&dispatcher](const std::string& webhook_id) {
                           return dispatcher.fresh_due_instead(webhook_id);
                         }});
  news_to = &ingest;
  const std::shared_ptr<void> forget_news_to(nullptr, [&news_to](void*) { news_to = nullptr; });

  api::ApiKeys api_keys(*store, clock);
  api::Services services{
      .store = *store,
      .clock = clock,
      .ingest = ingest,
      .guard = *guard,
      .rotation_overlap = std::chrono::hours(24),
      .deliveries = deliveries,
      .breaker_state = [&dispatcher](const std::string& id) { return dispatcher.breaker(id); },
      .dispatcher_stats = [&dispatcher] { return dispatcher.stats(); },
      .write_dispatcher_metrics =
          [&dispatcher](PrometheusText& text) { dispatcher.write_prometheus(text); },
      .node_id = node,
      .allocator = allocator_name(),
      .retention = settings.retention,
      .retention_ms = *retention_ms,
      .retention_stats = [&retention] { return retention.stats(); },
      .healer_stats = [&healer] { return healer.stats(); },
      .forget_key = [&api_keys](const std::string& hash) { api_keys.forget(hash); }};
  api::Router router([&api_keys](const std::string& authorization) {
    return api_keys.authenticate(authorization);
  });
  api::KeyRateLimits rate_limits(settings.api_rate_limit);
  router.set_rate_limit([&rate_limits, &clock](const std::string& authorization) {
    // Keyed by a hash of the header: the table holds no key, and it only sees keys that
    // authenticated.
    return rate_limits.refuse(std::to_string(std::hash<std::string>{}(authorization)),
                              clock.now_ms());
  });
  api::add_operations_routes(router, services);
  api::add_webhook_routes(router, services);
  api::add_webhook_test_routes(router, services);
  api::add_contact_routes(router, services);
  api::add_contact_activity_routes(router, services);
  api::add_list_routes(router, services);
  api::add_event_routes(router, services);
  api::add_delivery_routes(router, services);
  api::add_journey_routes(router, services);
  api::add_key_routes(router, services);
  api::add_audit_routes(router, services);
  api::add_stats_routes(router, services);
  api::add_event_type_routes(router, services);
  api::add_static_files(router, settings.web_root);

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  api::Server server({.host = listen.host,
                      .port = listen.port,
                      .max_body = settings.max_body,
                      .io_threads = settings.io_threads > 0 ? settings.io_threads : cores},
                     router);
  const std::string bound = server.listen();
  log->info("node {} listening on {} with store {} (memory allocator: {})", node, bound,
            store_for_display(settings.resolved_store_url()), services.allocator);
  std::cout << "hookline ready on http://" << bound << std::endl;
  dispatcher.start();
  retention.start();
  healer.start();
  ingest::DelayWaker delays(ingest, kDelayPollInterval);
  server.run();
  delays.stop();
  retention.stop();
  healer.stop();
  // The API has answered everything it took; now finish or hand back the calls in flight, and
  // let the writer commit their results before the process ends.
  dispatcher.shutdown(kShutdownGrace);
  // A Test call still out answers its session now, while the server's objects are alive.
  http.stop();
  store->stop_writer();
  log->info("stopped");
  return 0;
}

}  // namespace hookline::app
