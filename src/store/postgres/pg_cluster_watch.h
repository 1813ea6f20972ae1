#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <thread>

#include "store/store.h"

namespace hookline::store::postgres {

// Store::watch_cluster on PostgreSQL: a thread LISTENs on three channels. On hookline_config a
// trigger says which webhook each committed change touched (migrations/0002_config_version.sql);
// on hookline_breakers nodes share their breakers' changes (PgWriteTxn::share_breaker); on
// hookline_due a write that made deliveries due now says so (PgWriteTxn::tell_work_due). When the
// connection breaks, notifications sent meanwhile are lost: once it is back, webhook_changed hears
// "" (any webhook), so no stale configuration outlives the outage; a breaker's news missed costs
// at most the probes that node would have saved.
class PgClusterWatch final : public ClusterWatch {
 public:
  static constexpr std::string_view kConfigChannel = "hookline_config";
  static constexpr std::string_view kBreakerChannel = "hookline_breakers";
  static constexpr std::string_view kDueChannel = "hookline_due";

  PgClusterWatch(std::string uri, std::string database, ClusterListener listener);
  ~PgClusterWatch() override;

 private:
  void run();

  const std::string uri_;
  const std::string database_;
  const ClusterListener listener_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts once the members above are ready
};

}  // namespace hookline::store::postgres
