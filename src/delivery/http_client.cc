#include "delivery/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/header_rules.h"
#include "core/thread_name.h"

namespace hookline::delivery {
namespace {

// wait() returns sooner for curl's own timers and for wake(); this bound only keeps the loop
// checking for shutdown should a wake-up ever be lost.
constexpr int kIdlePollMs = 1000;
// Ready sockets taken per epoll_wait; more stay ready (level-triggered) for the next one.
constexpr int kMaxEvents = 64;
// Finished easy handles kept for reuse (they keep their allocated buffers); more are freed.
constexpr size_t kMaxIdleHandles = 256;

// curl_global_init must run once before any other libcurl call, and it is not thread-safe on
// every build of libcurl (it also initialises OpenSSL). Clients may be created from any thread,
// so the first one does it under call_once. curl_global_cleanup is never called: other clients
// and OpenSSL users may live until the process exits, which reclaims everything anyway.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

outbound::TransportError classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return outbound::TransportError::kTimeout;
    case CURLE_COULDNT_CONNECT:
      return outbound::TransportError::kConnectRefused;
    case CURLE_COULDNT_RESOLVE_HOST:
      return outbound::TransportError::kDns;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return outbound::TransportError::kTls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:  // the peer closed before the announced body length
      return outbound::TransportError::kConnectionReset;
    default:
      return outbound::TransportError::kOther;
  }
}

std::string address_text(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof(in));
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof(in6));
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
  }
  return text;
}

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int curl_readiness(uint32_t events) {
  int mask = 0;
  if ((events & (EPOLLIN | EPOLLHUP)) != 0) mask |= CURL_CSELECT_IN;
  if ((events & EPOLLOUT) != 0) mask |= CURL_CSELECT_OUT;
  if ((events & EPOLLERR) != 0) mask |= CURL_CSELECT_ERR;
  return mask;
}

}  // namespace

// One request in flight: everything curl points into lives here until the transfer ends.
struct HttpClient::Transfer {
  Submission submission;
  HttpClient* client = nullptr;
  const HttpClientOptions* options = nullptr;
  curl_slist* header_list = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
  outbound::OutboundResponse response;
  std::string refused_address;  // set when the guard refused a socket of this transfer
  std::string unwatched;        // set when the client could not watch one of its sockets
  std::chrono::steady_clock::time_point started;

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer() { curl_slist_free_all(header_list); }

  // CURLOPT_WRITEFUNCTION. Keeps up to max_response_body bytes; past that, returning less than
  // given makes curl end the transfer with CURLE_WRITE_ERROR, which finish() reads as a
  // truncated response thanks to `body_truncated`.
  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string& body = transfer->response.body;
    const size_t bytes = size * count;
    const size_t room = transfer->options->max_response_body - body.size();
    if (bytes <= room) {
      body.append(data, bytes);
      return bytes;
    }
    body.append(data, room);
    transfer->response.body_truncated = true;
    return 0;
  }

  // CURLOPT_OPENSOCKETFUNCTION: sees the resolved address of every connection curl opens, so the
  // guard judges where the bytes really go, whatever DNS answered earlier or later.
  static curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto* transfer = static_cast<Transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN || !transfer->options->guard.allows(&address->addr)) {
      if (transfer->refused_address.empty()) {
        transfer->refused_address = address_text(&address->addr);
      }
      return CURL_SOCKET_BAD;
    }
    const curl_socket_t opened =
        socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (opened != CURL_SOCKET_BAD) transfer->client->opened(opened);
    return opened;
  }

  // Builds the header list and sets every option. An error names what is wrong with the request.
  std::optional<std::string> configure(CURL* easy) {
    const outbound::OutboundRequest& request = submission.request;
    bool has_user_agent = false;
    const auto add = [&](const std::string& line) {
      curl_slist* list = curl_slist_append(header_list, line.c_str());
      if (list == nullptr) throw std::bad_alloc();
      header_list = list;
    };
    for (const auto& [name, value] : request.headers) {
      if (!is_header_name(name)) return "invalid header name \"" + name + "\"";
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return "invalid value for header \"" + name + "\"";
      }
      has_user_agent = has_user_agent || iequals(name, "User-Agent");
      // "Name:" alone tells curl to drop a header, "Name;" to send it empty.
      const bool blank = value.find_first_not_of(" \t") == std::string::npos;
      add(blank ? name + ";" : name + ": " + value);
    }
    // Switch off what curl would add on its own, so the request recorded equals the one sent.
    for (std::string_view own : {"Expect", "Accept", "Content-Type"}) {
      const bool given = std::any_of(request.headers.begin(), request.headers.end(),
                                     [&](const auto& h) { return iequals(h.first, own); });
      if (!given) add(std::string(own) + ":");
    }
    if (!is_header_name(request.method)) return "invalid method \"" + request.method + "\"";

    curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // ignore http_proxy & co.
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    // 0 would mean "no timeout" to curl.
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     std::max<long>(1, static_cast<long>(request.connect_timeout.count())));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     std::max<long>(1, static_cast<long>(request.total_timeout.count())));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
    // The connection keeps these two past this transfer: the client, not the transfer.
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &HttpClient::on_close_socket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, client);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options->ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options->ca_file.c_str());
    if (!has_user_agent && !options->user_agent.empty()) {
      curl_easy_setopt(easy, CURLOPT_USERAGENT, options->user_agent.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list);

    const std::string& method = request.method;
    if (method == "HEAD") {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (method == "GET" && request.body.empty()) {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
      // POST, PUT and PATCH always carry a body (maybe "Content-Length: 0"); others only when
      // given one. POSTFIELDS points into `submission`, which outlives the transfer.
      if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
      }
      if (method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    return std::nullopt;
  }
};

HttpClient::HttpClient(HttpClientOptions options, Driver driver) : options_(std::move(options)) {
  init_curl_once();
  const auto release = [this] {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (wake_event_ >= 0) close(wake_event_);
    if (epoll_ >= 0) close(epoll_);
  };
  try {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw_errno("epoll_create1");
    wake_event_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_event_ < 0) throw_errno("eventfd");
    epoll_event wake_watch{};
    wake_watch.events = EPOLLIN;
    wake_watch.data.fd = wake_event_;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_event_, &wake_watch) != 0) throw_errno("epoll_ctl");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &HttpClient::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &HttpClient::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    if (options_.max_host_connections > 0) {
      curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_host_connections);
    }
    if (driver == Driver::kCaller) return;
    thread_ = std::thread([this] {
      name_this_thread("hl-http");
      run();
    });
  } catch (...) {
    release();
    throw;
  }
}

HttpClient::~HttpClient() {
  stop();
  for (CURL* easy : idle_handles_) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);  // closes the kept connections, through on_close_socket
  close(wake_event_);
  close(epoll_);
}

void HttpClient::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) {
    wake();
    thread_.join();
  } else {
    shut_down();  // kCaller: its owner has stopped driving it
  }
}

void HttpClient::send(outbound::OutboundRequest request, Callback on_done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(request), std::move(on_done)});
  }
  if (std::this_thread::get_id() != driver_thread_.load(std::memory_order_relaxed)) wake();
}

void HttpClient::wake() {
  const uint64_t one = 1;
  // It fails only when the counter is full (EAGAIN), i.e. a wake-up is pending anyway.
  [[maybe_unused]] const ssize_t written = write(wake_event_, &one, sizeof(one));
}

bool HttpClient::queued() const {
  std::lock_guard lock(mutex_);
  return !queue_.empty();
}

void HttpClient::run() {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    work();
    wait(std::chrono::steady_clock::now() + std::chrono::milliseconds(kIdlePollMs));
  }
  shut_down();
}

void HttpClient::work() {
  driver_thread_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  std::deque<Submission> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
  }
  for (Submission& submission : batch) start(std::move(submission));

  act_on_ready_sockets();
  act_on_due_timer();  // after the sockets: adding a transfer asks for it at once
  std::vector<CURL*> unwatched;
  unwatched.swap(unwatched_);
  for (CURL* easy : unwatched) {
    if (active_.contains(easy)) finish(easy, CURLE_COULDNT_CONNECT);
  }
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg == CURLMSG_DONE) finish(message->easy_handle, message->data.result);
  }
}

void HttpClient::wait(SteadyTime until) {
  if (queued()) return;  // sent from a callback, or from the driving thread since work()
  if (curl_timer_) until = std::min(until, *curl_timer_);
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  const auto timeout = std::clamp<int64_t>(left.count(), 0, kIdlePollMs);
  ready_.resize(kMaxEvents);
  int count = epoll_wait(epoll_, ready_.data(), kMaxEvents, static_cast<int>(timeout));
  if (count < 0) {
    if (errno != EINTR) throw_errno("epoll_wait");
    count = 0;
  }
  ready_.resize(static_cast<size_t>(count));
  waited_ = true;
}

void HttpClient::act_on_ready_sockets() {
  if (!waited_) {
    // The owner's loop went round without waiting (it had messages): look without blocking,
    // one call for every socket, and only while a transfer may need it.
    ready_.clear();
    if (active_.empty()) return;
    ready_.resize(kMaxEvents);
    const int count = epoll_wait(epoll_, ready_.data(), kMaxEvents, 0);
    if (count < 0 && errno != EINTR) throw_errno("epoll_wait");
    ready_.resize(static_cast<size_t>(std::max(count, 0)));
  }
  waited_ = false;
  for (const epoll_event& event : ready_) {
    if (event.data.fd == wake_event_) {
      uint64_t count = 0;
      // EAGAIN: another read drained it already; nothing else can fail on an eventfd.
      [[maybe_unused]] const ssize_t read_bytes = read(wake_event_, &count, sizeof(count));
    } else {
      act_on_socket(event.data.fd, event.events);
    }
  }
  ready_.clear();
}

void HttpClient::act_on_socket(curl_socket_t socket, uint32_t events) {
  const auto it = sockets_.find(socket);
  if (it == sockets_.end()) return;  // closed since the epoll saw it
  Watch& watch = it->second;
  if (!watch.wanted) {
    // An idle connection's socket: its peer closed it or sent something unasked. curl checks a
    // connection before it reuses it, so only the epoll needs to stop reporting it.
    if (watch.registered != 0 && epoll_ctl(epoll_, EPOLL_CTL_DEL, socket, nullptr) != 0) {
      throw_errno("epoll_ctl");
    }
    watch.registered = 0;
    return;
  }
  int running = 0;
  curl_multi_socket_action(multi_, socket, curl_readiness(events), &running);
}

void HttpClient::act_on_due_timer() {
  if (!curl_timer_ || *curl_timer_ > std::chrono::steady_clock::now()) return;
  curl_timer_.reset();  // curl sets the next one, if any, from inside the call
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
}

int HttpClient::on_socket(CURL* easy, curl_socket_t socket, int what, void* client,
                          void* /*data*/) {
  auto* self = static_cast<HttpClient*>(client);
  try {
    self->watch(socket, what);
  } catch (const std::exception& e) {
    // Not -1, which would end every transfer of the client for good: this transfer fails alone,
    // at the end of this work(), saying why (curl may not be re-entered from here).
    if (const auto it = self->active_.find(easy); it != self->active_.end()) {
      it->second->unwatched = std::string("cannot watch the connection: ") + e.what();
      self->unwatched_.push_back(easy);
    }
  }
  return 0;
}

void HttpClient::watch(curl_socket_t socket, int what) {
  const uint32_t events =
      ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0U) | ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0U);
  if (events == 0) {  // CURL_POLL_REMOVE
    const auto it = sockets_.find(socket);
    if (it == sockets_.end()) return;
    it->second.wanted = false;
    if (it->second.ours) return;  // stays in the epoll until it is closed or reports something
    // Someone else's (the resolver's): curl may close it without telling us, so forget it now.
    // curl says so before it closes the socket, so the epoll still knows it; should it not, the
    // close has taken it out already, which is what this asks.
    if (it->second.registered != 0) epoll_ctl(epoll_, EPOLL_CTL_DEL, socket, nullptr);
    sockets_.erase(it);
    return;
  }
  Watch& watch = sockets_[socket];
  watch.wanted = true;
  if (watch.registered == events) return;  // the reuse of a kept connection: nothing to do
  epoll_event change{};
  change.events = events;
  change.data.fd = socket;
  if (epoll_ctl(epoll_, watch.registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &change) !=
      0) {
    throw_errno("epoll_ctl");
  }
  watch.registered = events;
}

void HttpClient::opened(curl_socket_t socket) {
  // A new socket may have the number of one closed earlier: it starts outside the epoll.
  sockets_[socket] = Watch{.registered = 0, .wanted = false, .ours = true};
}

int HttpClient::on_close_socket(void* client, curl_socket_t socket) {
  static_cast<HttpClient*>(client)->sockets_.erase(socket);
  return close(socket);  // which also takes it out of the epoll
}

int HttpClient::on_timer(CURLM* /*multi*/, long timeout_ms, void* client) {  // NOLINT
  auto* self = static_cast<HttpClient*>(client);
  if (timeout_ms < 0) {
    self->curl_timer_.reset();
  } else {
    self->curl_timer_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void HttpClient::start(Submission submission) {
  auto transfer = std::make_unique<Transfer>();
  transfer->submission = std::move(submission);
  transfer->client = this;
  transfer->options = &options_;
  transfer->started = std::chrono::steady_clock::now();

  const auto fail = [&](std::string message) {
    outbound::OutboundResult result;
    result.error = outbound::TransportError::kOther;
    result.error_message = std::move(message);
    Callback on_done = std::move(transfer->submission.on_done);
    transfer.reset();
    on_done(std::move(result));
  };

  CURL* easy = take_easy_handle();
  if (easy == nullptr) return fail("curl_easy_init failed");
  if (auto problem = transfer->configure(easy)) {
    give_back(easy);
    return fail(*problem);
  }
  if (const CURLMcode code = curl_multi_add_handle(multi_, easy); code != CURLM_OK) {
    give_back(easy);
    return fail(curl_multi_strerror(code));
  }
  active_.emplace(easy, std::move(transfer));
}

void HttpClient::finish(CURL* easy, CURLcode code) {
  const auto it = active_.find(easy);
  assert(it != active_.end() && "every handle in the multi handle is in active_");
  if (it == active_.end()) return;
  std::unique_ptr<Transfer> transfer = std::move(it->second);
  active_.erase(it);

  outbound::OutboundResult result;
  result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - transfer->started);
  if (!transfer->unwatched.empty()) {
    result.error = outbound::TransportError::kOther;
    result.error_message = std::move(transfer->unwatched);
  } else if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && transfer->response.body_truncated)) {
    long status = 0;  // NOLINT(google-runtime-int): curl's type
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    transfer->response.status = static_cast<int>(status);
    // Request -1: the last response, i.e. the final one after any 1xx.
    curl_header* header = nullptr;
    while ((header = curl_easy_nextheader(easy, CURLH_HEADER, -1, header)) != nullptr) {
      transfer->response.headers.emplace_back(header->name, header->value);
    }
    result.response = std::move(transfer->response);
  } else if (!transfer->refused_address.empty()) {
    // Checked before the curl code: a refused socket surfaces as "couldn't connect" (or as a
    // timeout while another address was tried), but the cause is certain.
    result.error = outbound::TransportError::kBlockedTarget;
    result.error_message = "target address " + transfer->refused_address +
                           " is not allowed (private, loopback, link-local or reserved)";
  } else {
    result.error = classify(code);
    result.error_message =
        transfer->error_buffer[0] != '\0' ? transfer->error_buffer : curl_easy_strerror(code);
  }

  curl_multi_remove_handle(multi_, easy);
  give_back(easy);
  Callback on_done = std::move(transfer->submission.on_done);
  transfer.reset();
  on_done(std::move(result));
}

void HttpClient::shut_down() {
  const auto shutting_down = [] {
    outbound::OutboundResult result;
    result.error = outbound::TransportError::kOther;
    result.error_message = "shutting down";
    return result;
  };
  std::vector<Callback> pending;
  for (auto& [easy, transfer] : active_) {
    curl_multi_remove_handle(multi_, easy);
    curl_easy_cleanup(easy);
    pending.push_back(std::move(transfer->submission.on_done));
  }
  active_.clear();
  for (Callback& on_done : pending) on_done(shutting_down());

  // Callbacks may have sent more; those end the same way, until nothing is left.
  while (true) {
    std::deque<Submission> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(queue_);
    }
    if (batch.empty()) break;
    for (Submission& submission : batch) submission.on_done(shutting_down());
  }
}

CURL* HttpClient::take_easy_handle() {
  if (idle_handles_.empty()) return curl_easy_init();
  CURL* easy = idle_handles_.back();
  idle_handles_.pop_back();
  return easy;
}

void HttpClient::give_back(CURL* easy) {
  if (idle_handles_.size() >= kMaxIdleHandles) {
    curl_easy_cleanup(easy);
    return;
  }
  curl_easy_reset(easy);  // forgets every option; the connection stays in the multi's cache
  idle_handles_.push_back(easy);
}

}  // namespace hookline::delivery
