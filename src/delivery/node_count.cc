#include "delivery/node_count.h"

#include "core/logger.h"
#include "core/thread_name.h"

namespace hookline::delivery {

NodeCount::NodeCount(std::function<Result<int>()> heartbeat, std::function<void(int)> changed)
    : heartbeat_(std::move(heartbeat)), changed_(std::move(changed)), thread_([this] {
        name_this_thread("hl-nodes");
        run();
      }) {}

NodeCount::~NodeCount() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void NodeCount::run() {
  auto log = module_logger("delivery");
  int known = 1;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (auto nodes = heartbeat_(); !nodes) {
      log->warn("cannot tell the store this node is alive: {}", nodes.error().message);
    } else if (*nodes != known) {
      log->info("{} nodes share the store: each sends 1/{} of every webhook's limits", *nodes,
                *nodes);
      known = *nodes;
      changed_(known);
    }
    lock.lock();
    wake_.wait_for(lock, kEvery, [this] { return stopping_; });
  }
}

}  // namespace hookline::delivery
