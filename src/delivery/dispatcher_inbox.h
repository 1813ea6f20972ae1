#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "core/delivery.h"
#include "core/error.h"
#include "delivery/dispatcher.h"
#include "delivery/http_client.h"

namespace hookline::delivery {

// The one way into the dispatcher's thread: dispatch(), webhook_changed(), the HTTP client's
// callbacks and the store's write completions push messages, the thread takes them. It is shared
// with those callbacks and outlives the dispatcher; pushes after close() are dropped, so a late
// HTTP callback or store completion changes nothing, and the lease covers its delivery.
//
// The thread sleeps in its HTTP client's wait(), not here: a push wakes it through the `waker`
// (HttpClient::wake, a system call) only while it has said it sleeps, so the many messages that
// arrive while it works, and the HTTP results it pushes itself, cost no wake-up.
class Dispatcher::Inbox {
 public:
  // ---- Messages to the dispatcher's thread

  struct FreshDeliveries {
    std::vector<Delivery> deliveries;
  };
  struct WebhookChanged {
    std::string webhook_id;
  };
  struct NodesChanged {
    int nodes = 1;
  };
  struct BreakerShared {
    store::BreakerNews news;
  };
  struct WorkDue {};
  struct TryFinished {
    std::string delivery_id;
    outbound::OutboundResult result;
  };
  struct ClaimFinished {
    Result<std::vector<Delivery>> claimed;
  };
  // The store kept a breaker's change (DeliveryQueue::share_breaker).
  struct BreakerStored {
    std::string workspace_id;
    std::string webhook_id;
    Result<int64_t> failing_since;
  };
  struct WriteFinished {
    std::string what;  // for the log
    Result<void> result;
    size_t failed_writes = 1;  // when result is an error: how many writes it stands for
    bool records = false;      // a write of tries' records (Worker::flush_records)
  };
  // A hasten write (Worker::hasten) came back: how many of the webhook's deliveries it made due.
  struct Hastened {
    std::string webhook_id;
    int64_t until_ms = 0;  // what it asked for
    int limit = 0;
    Result<int64_t> result;
  };
  struct Stop {
    std::chrono::steady_clock::time_point grace_end;
  };
  using Message =
      std::variant<FreshDeliveries, WebhookChanged, NodesChanged, BreakerShared, WorkDue,
                   TryFinished, ClaimFinished, BreakerStored, WriteFinished, Hastened, Stop>;

  // `waker` runs under the inbox's lock, never after close(); it must not push.
  explicit Inbox(std::function<void()> waker) : waker_(std::move(waker)) {}

  void push(Message message);
  // Every message so far, without waiting.
  std::vector<Message> take();
  // True when nothing waits: the thread may sleep, and the next push calls the waker (unless
  // awake() came first).
  bool sleep_if_empty();
  void awake();
  // Drops what waits and every later push.
  void close();

 private:
  const std::function<void()> waker_;
  std::mutex mutex_;
  std::vector<Message> messages_;  // GUARDED_BY(mutex_)
  bool sleeping_ = false;          // GUARDED_BY(mutex_)
  bool closed_ = false;            // GUARDED_BY(mutex_)
};

}  // namespace hookline::delivery
