#include "app/serve.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <stdexcept>
#include <thread>

#include "api/auth.h"
#include "api/handlers/routes.h"
#include "api/server.h"
#include "app/open_store.h"
#include "core/ids.h"
#include "delivery/request_builder.h"

namespace hookline::app {
namespace {

struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};

// "127.0.0.1:8080" or "[::1]:8080".
ListenAddress parse_listen(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen must be HOST:PORT, got " + text);
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const int port = std::stoi(text.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::runtime_error("--listen port out of range: " + text);
  return {host, static_cast<unsigned short>(port)};
}

// Makes sure some key opens the workspace: the operator's --api-key, or on a first start a new one,
// printed once (only its hash is kept).
void ensure_api_key(store::Store& store, const std::string& workspace_id, const std::string& given,
                    int64_t now_ms) {
  if (!given.empty()) {
    if (auto added = store.add_api_key(workspace_id, "--api-key", sha256_hex(given), now_ms); !added) {
      throw std::runtime_error("cannot store the API key: " + added.error().message);
    }
    return;
  }
  auto count = store.count_api_keys();
  if (!count) throw std::runtime_error("cannot read API keys: " + count.error().message);
  if (*count > 0) return;
  const std::string key = "hk_" + random_token(24);
  if (auto added = store.add_api_key(workspace_id, "first start", sha256_hex(key), now_ms); !added) {
    throw std::runtime_error("cannot store the API key: " + added.error().message);
  }
  std::cout << "Created an API key (shown once, keep it): " << key << std::endl;
}

}  // namespace

int serve(const Settings& settings) {
  auto log = spdlog::get("app");
  SystemClock clock;
  auto store = open_store(settings.resolved_store_url());
  auto workspace = store->default_workspace_id(clock.now_ms());
  if (!workspace) throw std::runtime_error("cannot read the workspace: " + workspace.error().message);
  ensure_api_key(*store, *workspace, settings.api_key, clock.now_ms());

  auto guard = delivery::TargetGuard::with_allowed(settings.allow_targets);
  if (!guard) throw std::runtime_error("--allow-targets: " + guard.error());
  delivery::HttpClient http({.guard = std::move(*guard),
                             .ca_file = settings.ca_file,
                             .max_response_body = 64 * 1024,
                             .user_agent = std::string(delivery::kUserAgent),
                             .max_host_connections = 0});

  api::Services services{*store, clock, http};
  api::Router router([&store = *store](const std::string& authorization) {
    return api::authenticate_bearer(store, authorization);
  });
  api::add_operations_routes(router, services);
  api::add_webhook_routes(router, services);
  api::add_webhook_test_routes(router, services);
  api::add_contact_routes(router, services);
  api::add_list_routes(router, services);

  const ListenAddress listen = parse_listen(settings.listen);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  api::Server server({.host = listen.host,
                      .port = listen.port,
                      .max_body = settings.max_body,
                      .io_threads = settings.io_threads > 0 ? settings.io_threads : cores},
                     router);
  const std::string bound = server.listen();
  log->info("listening on {} with store {}", bound, settings.resolved_store_url());
  std::cout << "hookline ready on http://" << bound << std::endl;
  server.run(nullptr);
  log->info("stopped");
  return 0;
}

}  // namespace hookline::app
