#include "delivery/dispatcher_inbox.h"

#include <utility>

namespace hookline::delivery {

void Dispatcher::Inbox::push(Message message) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    messages_.push_back(std::move(message));
  }
  wake_.notify_one();
}

std::vector<Dispatcher::Inbox::Message> Dispatcher::Inbox::take(
    std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, until, [this] { return !messages_.empty(); });
  std::vector<Message> out;
  out.swap(messages_);
  return out;
}

void Dispatcher::Inbox::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  messages_.clear();
}

}  // namespace hookline::delivery
