#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "api/router.h"

namespace hookline::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  size_t max_body = 1024 * 1024;
  int io_threads = 2;
  int handler_threads = 8;  // where handlers run: they may wait on the store
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{20};
};

// The HTTP/1.1 server (Boost.Beast): it reads requests, hands them to the Router on a handler pool,
// and writes the responses back. Sessions do I/O only. Beast and Asio stay behind this header.
class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound "host:port". Throws when the address cannot be bound.
  std::string listen();

  // Serves until SIGINT or SIGTERM, then stops taking connections, lets requests in progress
  // finish within the grace period, and returns.
  void run();

  // Opaque here; public so that server.cc's sessions can name it.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::api
