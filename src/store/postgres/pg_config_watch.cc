#include "store/postgres/pg_config_watch.h"

#include <memory>
#include <stdexcept>

#include "core/logger.h"
#include "store/postgres/pg_connection.h"

namespace hookline::store::postgres {

namespace {

// How often the thread looks up from its wait to see whether it should stop, and how long it
// waits before connecting again after a failure.
constexpr std::chrono::milliseconds kWakeEvery{250};
constexpr std::chrono::seconds kRetryAfter{1};

constexpr std::string_view kWebhookPrefix = "webhook:";

}  // namespace

PgConfigWatch::PgConfigWatch(std::string uri, std::string database,
                             std::function<void(const std::string&)> changed)
    : uri_(std::move(uri)),
      database_(std::move(database)),
      changed_(std::move(changed)),
      thread_([this] { run(); }) {}

PgConfigWatch::~PgConfigWatch() {
  stopping_ = true;
  thread_.join();
}

void PgConfigWatch::run() {
  auto log = module_logger("store");
  std::unique_ptr<PgConnection> connection;
  bool lost = false;  // notifications may have been missed since the last good connection
  while (!stopping_) {
    if (!connection) {
      try {
        connection = std::make_unique<PgConnection>(uri_, database_);
      } catch (const std::runtime_error& e) {
        log->warn("watching configuration changes: cannot connect: {}", e.what());
        lost = true;
        for (auto waited = std::chrono::milliseconds(0); waited < kRetryAfter && !stopping_;
             waited += kWakeEvery) {
          std::this_thread::sleep_for(kWakeEvery);
        }
        continue;
      }
      if (auto listening = connection->listen(kChannel); !listening) {
        log->warn("watching configuration changes: {}", listening.error().message);
        connection.reset();
        lost = true;
        continue;
      }
      if (lost) changed_("");  // what changed while nobody listened is unknown: all of it
      lost = false;
    }
    auto received = connection->notifications(kWakeEvery);
    if (!received) {
      log->warn("watching configuration changes: {}", received.error().message);
      connection.reset();
      lost = true;
      continue;
    }
    for (const Notification& notification : *received) {
      if (notification.payload.starts_with(kWebhookPrefix)) {
        changed_(notification.payload.substr(kWebhookPrefix.size()));
      }
    }
  }
}

}  // namespace hookline::store::postgres
