#include "delivery/dispatcher_inbox.h"

#include <utility>

namespace hookline::delivery {

void Dispatcher::Inbox::push(Message message) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  messages_.push_back(std::move(message));
  if (sleeping_) {
    sleeping_ = false;  // one wake-up is enough until the thread sleeps again
    waker_();
  }
}

std::vector<Dispatcher::Inbox::Message> Dispatcher::Inbox::take() {
  std::lock_guard lock(mutex_);
  std::vector<Message> out;
  out.swap(messages_);
  return out;
}

bool Dispatcher::Inbox::sleep_if_empty() {
  std::lock_guard lock(mutex_);
  sleeping_ = messages_.empty();
  return sleeping_;
}

void Dispatcher::Inbox::awake() {
  std::lock_guard lock(mutex_);
  sleeping_ = false;
}

void Dispatcher::Inbox::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  messages_.clear();
}

}  // namespace hookline::delivery
