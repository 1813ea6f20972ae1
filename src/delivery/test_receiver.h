#pragma once

// Test-only: a canned HTTP/1.1 receiver on 127.0.0.1 for the delivery tests. Never linked into
// the product.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "delivery/http_client.h"
#include "delivery/target_guard.h"

namespace hookline::delivery {

inline constexpr int kReceiverPollMs = 20;

inline std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A canned HTTP/1.1 receiver on 127.0.0.1, for these tests only: it accepts connections, reads
// each request (headers, then a Content-Length body) and answers what the test scripted.
// Connections stay open for further requests unless the reply says to close.
class TestReceiver {
 public:
  struct Reply {
    std::string bytes;   // written as they are
    bool close = false;  // close the connection after writing
    bool hang = false;   // never answer; hold the connection until the receiver stops
  };
  using Script = std::function<Reply(const std::string& request)>;

  // With `greeting`, each connection instead waits for any bytes, answers `greeting` and closes.
  explicit TestReceiver(Script script, std::string greeting = "")
      : script_(std::move(script)), greeting_(std::move(greeting)) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof(address);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        listen(listener_, 128) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      throw std::runtime_error("test receiver: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~TestReceiver() {
    stop_ = true;
    acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      workers.swap(workers_);
    }
    for (std::thread& worker : workers) worker.join();
    close(listener_);
  }

  std::string url(std::string_view path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  uint16_t port() const { return port_; }
  int connections() const { return connections_; }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, kReceiverPollMs) <= 0) continue;
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd] {
        greeting_.empty() ? serve(fd) : greet(fd);
        close(fd);
      });
    }
  }

  // Waits for readable data; false once stopped or on EOF/error.
  bool read_some(int fd, std::string& buffer) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, kReceiverPollMs) <= 0) continue;
      char chunk[16384];
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
      return true;
    }
    return false;
  }

  bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void serve(int fd) {
    std::string buffer;
    while (true) {
      size_t header_end;
      while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!read_some(fd, buffer)) return;
      }
      const std::string head = lower(buffer.substr(0, header_end));
      size_t length = 0;
      if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
        length = std::stoul(head.substr(at + 17));
      }
      const size_t total = header_end + 4 + length;
      while (buffer.size() < total) {
        if (!read_some(fd, buffer)) return;
      }
      const std::string request = buffer.substr(0, total);
      buffer.erase(0, total);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      const Reply reply = script_(request);
      if (reply.hang) {
        while (read_some(fd, buffer)) {
        }
        return;
      }
      if (!write_all(fd, reply.bytes) || reply.close) return;
    }
  }

  void greet(int fd) {
    std::string ignored;
    if (!read_some(fd, ignored)) return;
    write_all(fd, greeting_);
    shutdown(fd, SHUT_WR);
    while (read_some(fd, ignored)) {
    }
  }

  const Script script_;
  const std::string greeting_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_ = false;
  std::atomic<int> connections_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;  // GUARDED_BY(mutex_)
  std::vector<std::thread> workers_;   // GUARDED_BY(mutex_)
  std::thread acceptor_;
};

inline TestReceiver::Reply respond(int status, std::string_view body = "",
                                   std::string_view headers = "") {
  std::string reason = status == 200 ? "OK" : status == 302 ? "Found" : "Other";
  return {"HTTP/1.1 " + std::to_string(status) + " " + reason +
              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(headers) +
              "\r\n" + std::string(body),
          false, false};
}

inline TestReceiver::Script always(int status, std::string body = "", std::string headers = "") {
  return [=](const std::string&) { return respond(status, body, headers); };
}

inline HttpClientOptions loopback_allowed() {
  HttpClientOptions options;
  options.guard = *TargetGuard::with_allowed("127.0.0.0/8");
  return options;
}

}  // namespace hookline::delivery
