#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "store/store.h"

namespace hookline::store::postgres {

// Store::watch_webhooks on PostgreSQL: a thread LISTENs on hookline_config, where a trigger says
// which webhook each committed change touched (migrations/0002_config_version.sql). When the
// connection breaks, notifications sent meanwhile are lost: once it is back, `changed` hears ""
// (any webhook), so nothing stale outlives the outage.
class PgConfigWatch final : public ConfigWatch {
 public:
  static constexpr std::string_view kChannel = "hookline_config";

  PgConfigWatch(std::string uri, std::string database,
                std::function<void(const std::string&)> changed);
  ~PgConfigWatch() override;

 private:
  void run();

  const std::string uri_;
  const std::string database_;
  const std::function<void(const std::string&)> changed_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts once the members above are ready
};

}  // namespace hookline::store::postgres
