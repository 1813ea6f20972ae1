#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.h"

namespace hookline::delivery {

// Keeps a node counted among those sharing its store: every second it says it is alive
// (`heartbeat`, Store::heartbeat) and hears how many nodes are, and tells `changed` when that
// number changes (the dispatcher's set_nodes: each node's share of the webhooks' limits). A
// heartbeat that fails is logged and leaves the count as it was.
class NodeCount {
 public:
  static constexpr std::chrono::seconds kEvery{1};

  NodeCount(std::function<Result<int>()> heartbeat, std::function<void(int)> changed);
  ~NodeCount();
  NodeCount(const NodeCount&) = delete;
  NodeCount& operator=(const NodeCount&) = delete;

 private:
  void run();

  const std::function<Result<int>()> heartbeat_;
  const std::function<void(int)> changed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the members above are ready
};

}  // namespace hookline::delivery
