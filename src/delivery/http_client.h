#pragma once

#include <curl/curl.h>
#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "delivery/target_guard.h"
#include "outbound/call.h"

namespace hookline::delivery {

struct HttpClientOptions {
  TargetGuard guard;
  std::string ca_file;  // PEM bundle of trusted CAs; empty: curl's default bundle
  size_t max_response_body = 64 * 1024;
  // Sent when a request carries no User-Agent header of its own; empty: none.
  std::string user_agent;
  // Connections per host:port at most; further requests wait for a free one inside curl (their
  // timeout runs meanwhile). 0: no limit.
  long max_host_connections = 0;  // NOLINT(google-runtime-int): curl's type
};

// Asynchronous outbound HTTP on libcurl's multi interface, driven by one thread: one the client
// owns, or its owner's (Driver::kCaller), which then calls work() and wait() in its own loop, so
// a request and its callback never cross threads (the dispatcher: no hand-off per try).
// Connections are kept alive and reused across requests to the same host and port. TLS peers are
// verified; redirects are never followed (a 3xx is a response like any other); proxies from the
// environment are ignored, so the guard always judges the receiver's own address.
//
// curl is driven by its socket interface (curl_multi_socket_action) on the client's own epoll:
// told which socket is ready, curl moves only that socket's transfer and skips the poll() it
// would otherwise make of every transfer's socket on every step (curl_multi_perform).
class HttpClient {
 public:
  using Callback = std::function<void(outbound::OutboundResult)>;
  using SteadyTime = std::chrono::steady_clock::time_point;
  enum class Driver { kOwnThread, kCaller };

  explicit HttpClient(HttpClientOptions options, Driver driver = Driver::kOwnThread);
  // Stops the thread, if the client has one. Requests still in flight or queued, including ones
  // sent by callbacks meanwhile, complete with kOther "shutting down" before this returns.
  // REQUIRES (kCaller): the owner's thread no longer calls work() or wait().
  ~HttpClient();

  // What the destructor does first, for owners whose callbacks must run while the objects they
  // reach are still alive (the API's sessions). Idempotent.
  void stop();

  // ---- Driver::kCaller: the owner's thread, and only it, calls these two in its loop.

  // Starts what send() queued, moves every transfer along and runs the callbacks of the ones that
  // ended. Never waits.
  void work();
  // Waits until a transfer has I/O or a curl timer is due, wake() is called, or `until`. Returns
  // at once when send() queued a request since work().
  void wait(SteadyTime until);
  // Makes the current or next wait() return. Thread-safe.
  void wake();

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Queues `request`; `on_done` later runs exactly once on the client's thread (kCaller: in
  // work(), or in the destructor). Thread-safe; may be called from a callback.
  // REQUIRES: not called once the destructor has started (except from callbacks);
  // `on_done` neither blocks nor throws.
  void send(outbound::OutboundRequest request, Callback on_done);

 private:
  struct Transfer;
  struct Submission {
    outbound::OutboundRequest request;
    Callback on_done;
  };

  // What the epoll knows of one socket curl uses. Sockets the client opened itself stay
  // registered while curl keeps their connection idle (no epoll_ctl per request on a reused
  // connection): an event for one curl does not watch unregisters it then, and closing it
  // (on_close_socket) drops it from the epoll.
  struct Watch {
    uint32_t registered = 0;  // the events the epoll watches for; 0: not in the epoll
    bool wanted = false;      // curl watches it now
    bool ours = false;        // opened by on_open_socket, so closed by on_close_socket
  };

  void run();
  bool queued() const;
  void start(Submission submission);
  void finish(CURL* easy, CURLcode code);
  void shut_down();
  CURL* take_easy_handle();
  void give_back(CURL* easy);

  // Readiness since the last work(): what wait() saw, else a look that does not block.
  void act_on_ready_sockets();
  void act_on_socket(curl_socket_t socket, uint32_t events);
  void act_on_due_timer();
  // libcurl's callbacks, on the driving thread (or in the destructor).
  static int on_socket(CURL* easy, curl_socket_t socket, int what, void* client, void* data);
  static int on_timer(CURLM* multi, long timeout_ms, void* client);  // NOLINT: curl's type
  static int on_close_socket(void* client, curl_socket_t socket);
  void watch(curl_socket_t socket, int what);
  void opened(curl_socket_t socket);

  const HttpClientOptions options_;
  CURLM* multi_ = nullptr;
  int epoll_ = -1;
  int wake_event_ = -1;  // an eventfd in the epoll; wake() writes to it from any thread

  mutable std::mutex mutex_;
  std::deque<Submission> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;         // GUARDED_BY(mutex_)
  // The thread that drives the client: a send() from it needs no wake-up, since that thread
  // starts the request before it next waits.
  std::atomic<std::thread::id> driver_thread_;

  // Owned by the client's thread.
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;
  std::vector<CURL*> idle_handles_;
  std::unordered_map<curl_socket_t, Watch> sockets_;
  std::optional<SteadyTime> curl_timer_;  // when curl wants CURL_SOCKET_TIMEOUT; none: never
  std::vector<epoll_event> ready_;        // what the last wait() saw, for the next work()
  bool waited_ = false;                   // wait() ran since the last work()
  std::vector<CURL*> unwatched_;          // transfers whose socket could not be watched: to fail

  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace hookline::delivery
