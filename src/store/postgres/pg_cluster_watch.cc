#include "store/postgres/pg_cluster_watch.h"

#include <memory>
#include <stdexcept>

#include "core/logger.h"
#include "core/thread_name.h"
#include "store/postgres/pg_cluster_news.h"
#include "store/postgres/pg_connection.h"

namespace hookline::store::postgres {

namespace {

// How often the thread looks up from its wait to see whether it should stop, and how long it
// waits before connecting again after a failure.
constexpr std::chrono::milliseconds kWakeEvery{250};
constexpr std::chrono::seconds kRetryAfter{1};

constexpr std::string_view kWebhookPrefix = "webhook:";

}  // namespace

PgClusterWatch::PgClusterWatch(std::string uri, std::string database, ClusterListener listener)
    : uri_(std::move(uri)),
      database_(std::move(database)),
      listener_(std::move(listener)),
      thread_([this] {
        name_this_thread("hl-pg-watch");
        run();
      }) {}

PgClusterWatch::~PgClusterWatch() {
  stopping_ = true;
  thread_.join();
}

void PgClusterWatch::run() {
  auto log = module_logger("store");
  std::unique_ptr<PgConnection> connection;
  bool lost = false;  // notifications may have been missed since the last good connection
  while (!stopping_) {
    if (!connection) {
      try {
        connection = std::make_unique<PgConnection>(uri_, database_);
      } catch (const std::runtime_error& e) {
        log->warn("watching the cluster: cannot connect: {}", e.what());
        lost = true;
        for (auto waited = std::chrono::milliseconds(0); waited < kRetryAfter && !stopping_;
             waited += kWakeEvery) {
          std::this_thread::sleep_for(kWakeEvery);
        }
        continue;
      }
      auto listening = connection->listen(kConfigChannel);
      if (listening) listening = connection->listen(kBreakerChannel);
      if (listening) listening = connection->listen(kDueChannel);
      if (!listening) {
        log->warn("watching the cluster: {}", listening.error().message);
        connection.reset();
        lost = true;
        continue;
      }
      // What changed while nobody listened is unknown: all of it.
      if (lost && listener_.webhook_changed) listener_.webhook_changed("");
      lost = false;
    }
    auto received = connection->notifications(kWakeEvery);
    if (!received) {
      log->warn("watching the cluster: {}", received.error().message);
      connection.reset();
      lost = true;
      continue;
    }
    for (const Notification& notification : *received) {
      if (notification.channel == kConfigChannel) {
        if (notification.payload.starts_with(kWebhookPrefix) && listener_.webhook_changed) {
          listener_.webhook_changed(notification.payload.substr(kWebhookPrefix.size()));
        }
      } else if (notification.channel == kDueChannel) {
        if (listener_.work_due) listener_.work_due();
      } else if (notification.channel == kBreakerChannel && listener_.breaker_changed) {
        if (auto news = decode_breaker_news(notification.payload)) {
          listener_.breaker_changed(*news);
        } else {
          log->warn("watching the cluster: a breaker's news unread: {}", notification.payload);
        }
      }
    }
  }
}

}  // namespace hookline::store::postgres
