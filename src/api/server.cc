#include "api/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "api/error_response.h"
#include "api/request_target.h"
#include "core/ids.h"
#include "core/thread_name.h"

namespace hookline::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The request line and query, decoded; a target that is not origin-form is a 400. Takes the body
// (up to --max-body) rather than copying it; the rest of `req` stays for the log.
Result<ApiRequest> to_api_request(http::request<http::string_body>& req) {
  auto target = parse_request_target(req.target());
  if (!target) return std::unexpected(target.error());
  ApiRequest out;
  out.method = std::string(req.method_string());
  out.path = std::move(target->path);
  out.segments = std::move(target->segments);
  out.query = std::move(target->query);
  out.authorization = std::string(req[http::field::authorization]);
  out.body = std::move(req.body());
  return out;
}

// The answer to a HEAD request is the one GET would get, Content-Length included, but without
// the body: body bytes there would be read as the start of the next answer on the connection
// (RFC 9110 9.3.2).
http::response<http::string_body> to_beast_response(ApiResponse api, unsigned version,
                                                    bool keep_alive, bool head_request,
                                                    const std::string& request_id) {
  http::response<http::string_body> res{static_cast<http::status>(api.status), version};
  res.set(http::field::server, "Hookline");
  res.set(http::field::content_type, api.content_type);
  res.set("X-Request-Id", request_id);
  for (auto& [name, value] : api.headers) res.set(name, value);
  res.body() = std::move(api.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head_request) res.body().clear();
  return res;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  asio::io_context ioc;
  asio::thread_pool handlers;
  // Accepting and shutting down run on one strand: a signal's close and an accept's next
  // async_accept, on different I/O threads, must not touch the acceptor at once.
  asio::strand<asio::io_context::executor_type> control{asio::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  asio::signal_set signals{control, SIGINT, SIGTERM};
  std::atomic<int> requests_in_progress{0};
  std::atomic<bool> stopping{false};

  Impl(ServerOptions o, const Router& r)
      : options(std::move(o)), router(r), handlers(static_cast<size_t>(options.handler_threads)) {}

  void do_accept();
  void begin_shutdown();
  void wait_for_requests(std::shared_ptr<asio::steady_timer> timer,
                         std::chrono::steady_clock::time_point deadline);
};

namespace {

// One connection: read a request, hand it over, write the response, repeat while kept alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void start() { do_read(); }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body);
    parser_->header_limit(64 * 1024);
    // An idle connection keeps no more than a small request's room.
    if (buffer_.size() == 0 && buffer_.capacity() > kBodyRoom) buffer_.shrink_to_fit();
    stream_.expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // A body read into the buffer as it is (a few hundred bytes of room, since the parser moves what
  // it reads into the request) comes in reads of that size: a batch of 100 events took 80 system
  // calls and as many timer resets. Room for it, up to kBodyRoom, is made once its length is
  // known; no more, so a client announcing a large body and sending none holds little memory.
  void on_header(beast::error_code ec, size_t) {
    if (ec) return on_read(ec, 0);
    if (const auto length = parser_->content_length(); length && !parser_->is_done()) {
      const size_t wanted = static_cast<size_t>(std::min<uint64_t>(*length, kBodyRoom));
      if (buffer_.capacity() - buffer_.size() < wanted) buffer_.reserve(buffer_.size() + wanted);
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    // Known as soon as the header is in, so an error about the body is sent without one too.
    head_request_ = parser_->is_header_done() && parser_->get().method() == http::verb::head;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return reply_error(
          {ErrorCode::kPayloadTooLarge,
           "the body is larger than " + std::to_string(server_.options.max_body) + " bytes",
           {}},
          /*keep_alive=*/false);
    }
    if (ec) {
      return reply_error({ErrorCode::kValidation, "malformed HTTP request: " + ec.message(), {}},
                         false);
    }
    request_ = parser_->release();
    auto api_request = to_api_request(request_);
    if (!api_request) return reply_error(api_request.error(), request_.keep_alive());
    api_request->request_id = random_id_token(9);
    started_ = std::chrono::steady_clock::now();
    server_.requests_in_progress.fetch_add(1);
    // Handlers may wait on the store or the network: they run on the handler pool, never here.
    asio::post(server_.handlers,
               [self = shared_from_this(), req = std::move(*api_request)]() mutable {
                 const std::string request_id = req.request_id;
                 auto answered = std::make_shared<std::atomic<bool>>(false);
                 Respond respond = [self, request_id, answered](ApiResponse response) {
                   if (answered->exchange(true))
                     return;  // a handler answers once; see the catch below
                   asio::post(self->stream_.get_executor(),
                              [self, request_id, response = std::move(response)]() mutable {
                                self->write(std::move(response), request_id);
                              });
                 };
                 // A broken invariant in one request is a 500 for that request, not the end of the
                 // process.
                 try {
                   self->server_.router.dispatch(std::move(req), respond);
                 } catch (const std::exception& e) {
                   spdlog::get("api")->error("request {} failed: {}", request_id, e.what());
                   respond(error_response({ErrorCode::kInternal, "internal error", {}}));
                 }
               });
  }

  void reply_error(const Error& error, bool keep_alive) {
    server_.requests_in_progress.fetch_add(1);
    started_ = std::chrono::steady_clock::now();
    keep_alive_override_ = keep_alive;
    write(error_response(error), random_id_token(9));
  }

  void write(ApiResponse response, const std::string& request_id) {
    const bool keep_alive =
        keep_alive_override_.value_or(request_.keep_alive()) && !server_.stopping.load();
    const int status = response.status;
    response_ = to_beast_response(std::move(response), request_.version() ? request_.version() : 11,
                                  keep_alive, head_request_, request_id);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started_)
                            .count();
    spdlog::get("api")->info(R"(request method={} path={} status={} duration_us={} request_id={})",
                             std::string(request_.method_string()), std::string(request_.target()),
                             status, micros, request_id);
    stream_.expires_after(server_.options.idle_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    server_.requests_in_progress.fetch_sub(1);
    const bool keep_alive = response_.keep_alive();
    keep_alive_override_.reset();
    if (ec || !keep_alive) return close();
    do_read();
  }

  // Closing a socket with bytes still unread makes the kernel answer with a reset, which can reach
  // the client before the response it has not read yet: a 413 for a body too large, sent while the
  // client is still sending that body, would be lost. So the send side is shut, and what still
  // arrives is read and dropped until the client closes too, for kLinger at most.
  void close() {
    beast::error_code ignored;  // the peer may be gone already; there is nothing left to tell it
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLinger);
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->drain();  // EOF, timeout or reset: done
                            });
  }

  static constexpr std::chrono::seconds kLinger{2};
  static constexpr size_t kBodyRoom = 64 * 1024;
  std::array<char, 16 * 1024> discard_{};

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::optional<bool> keep_alive_override_;
  bool head_request_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void Server::Impl::do_accept() {
  // The handler runs on the acceptor's executor, the control strand; the new socket gets its own.
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), *this)->start();
    } else {
      spdlog::get("api")->warn("accept failed: {}", ec.message());
    }
    do_accept();
  });
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::get("api")->info("stopping: no new connections, finishing requests in progress");
  beast::error_code ignored;  // closing a closed acceptor is harmless
  acceptor.close(ignored);
  auto timer = std::make_shared<asio::steady_timer>(control);
  wait_for_requests(timer, std::chrono::steady_clock::now() + options.shutdown_grace);
}

void Server::Impl::wait_for_requests(std::shared_ptr<asio::steady_timer> timer,
                                     std::chrono::steady_clock::time_point deadline) {
  if (requests_in_progress.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait(
      [this, timer, deadline](beast::error_code) { wait_for_requests(timer, deadline); });
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->handlers.join();
}

std::string Server::listen() {
  const std::string wanted = impl_->options.host + ":" + std::to_string(impl_->options.port);
  beast::error_code ec;
  // A name ("localhost") is resolved here; the first address it gives is the one bound.
  tcp::resolver resolver(impl_->ioc);
  auto endpoints = resolver.resolve(impl_->options.host, std::to_string(impl_->options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    throw std::runtime_error("--listen " + wanted + ": cannot resolve the host: " + ec.message());
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl_->acceptor;
  auto check = [&](const char* step) {
    if (ec)
      throw std::runtime_error("--listen " + wanted + ": cannot " + step + ": " + ec.message());
  };
  acceptor.open(endpoint.protocol(), ec);
  check("open a socket");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  check("set SO_REUSEADDR");
  acceptor.bind(endpoint, ec);
  check("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  check("listen");
  const auto bound = acceptor.local_endpoint();
  const std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string();
  return host + ":" + std::to_string(bound.port());
}

void Server::run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  impl.do_accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] {
      name_this_thread("hl-api");
      impl.ioc.run();
    });
  impl.ioc.run();
  for (auto& thread : threads) thread.join();
}

}  // namespace hookline::api
