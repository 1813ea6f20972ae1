// hookline-bench-receiver: the fast webhook receiver of the benchmark (bench/README.md).
//
// Answers every request on the data port with 200 (keep-alive), counts requests and distinct
// webhook-id values, and records end-to-end latency: arrival time minus the "sent_us" the load
// driver put in event_details (microseconds since the epoch), read from the delivery body with
// Boost.JSON. A second port, the control port, serves GET /stats, POST /reset, POST /down and
// POST /up. "Down" closes the data listener and every open data connection, so hookline sees
// connection refused (the receiver's process is gone, as far as its peers can tell); "up" listens
// on the same port again.
//
// How it answers (for the isolation and soak scenarios): --mode ok (200, the default), fail (500)
// or hang (reads the request, counts it, never answers; the connection stays open until the peer
// closes it), switched at run time with POST /ok, /fail and /hang on the control port.
// --log-seq FILE appends data.event_details.seq of every request answered 200, one per line (the soak checks
// that every accepted event arrived); the file is flushed on each GET /stats.
//
// One io_context per thread (--threads, default 1); the acceptor runs on the first and hands
// connections out round-robin. Counters live under one mutex, taken once per request.
#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Latency samples are kept one by one (4 bytes each) up to this many; later ones are dropped
// (counted) so that memory stays bounded whatever the run.
constexpr size_t kMaxSamples = 50'000'000;

struct Snapshot {
  uint64_t count = 0, distinct = 0, no_id = 0, no_sent = 0, bytes = 0, dropped_samples = 0;
  int64_t first_us = 0, last_us = 0, reset_us = 0;
  std::vector<uint32_t> latencies_us;
};

class Stats {
 public:
  Stats() { reset(); }

  void record(std::string_view webhook_id, int64_t latency_us, bool has_latency, size_t bytes,
              int64_t arrived_us) {
    std::lock_guard lock(mutex_);
    ++s_.count;
    s_.bytes += bytes;
    if (s_.first_us == 0) s_.first_us = arrived_us;
    s_.last_us = arrived_us;
    if (webhook_id.empty()) {
      ++s_.no_id;
    } else {
      ids_.emplace(webhook_id);
    }
    if (!has_latency) {
      ++s_.no_sent;
    } else if (s_.latencies_us.size() < kMaxSamples) {
      s_.latencies_us.push_back(
          static_cast<uint32_t>(std::clamp<int64_t>(latency_us, 0, UINT32_MAX)));
    } else {
      ++s_.dropped_samples;
    }
  }

  void reset() {
    std::lock_guard lock(mutex_);
    s_ = Snapshot{};
    s_.reset_us = now_us();
    ids_ = {};
  }

  // Counters only (cheap), or counters and a copy of the samples.
  Snapshot snapshot(bool with_samples) {
    std::lock_guard lock(mutex_);
    Snapshot out;
    out.count = s_.count;
    out.distinct = ids_.size();
    out.no_id = s_.no_id;
    out.no_sent = s_.no_sent;
    out.bytes = s_.bytes;
    out.dropped_samples = s_.dropped_samples;
    out.first_us = s_.first_us;
    out.last_us = s_.last_us;
    out.reset_us = s_.reset_us;
    if (with_samples) out.latencies_us = s_.latencies_us;
    return out;
  }

 private:
  std::mutex mutex_;
  Snapshot s_;                           // GUARDED_BY(mutex_)
  std::unordered_set<std::string> ids_;  // GUARDED_BY(mutex_)
};

double percentile_ms(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

std::string stats_json(Stats& stats) {
  Snapshot s = stats.snapshot(true);
  const int64_t now = now_us();
  json::object o;
  o["count"] = s.count;
  o["distinct"] = s.distinct;
  o["duplicates"] = s.count - s.no_id - s.distinct;
  o["no_webhook_id"] = s.no_id;
  o["no_sent_us"] = s.no_sent;
  o["bytes"] = s.bytes;
  o["latency_samples"] = s.latencies_us.size();
  o["dropped_samples"] = s.dropped_samples;
  o["p50_ms"] = percentile_ms(s.latencies_us, 0.50);
  o["p90_ms"] = percentile_ms(s.latencies_us, 0.90);
  o["p99_ms"] = percentile_ms(s.latencies_us, 0.99);
  o["p999_ms"] = percentile_ms(s.latencies_us, 0.999);
  o["max_ms"] = s.latencies_us.empty()
                    ? 0.0
                    : *std::max_element(s.latencies_us.begin(), s.latencies_us.end()) / 1000.0;
  o["first_us"] = s.first_us;
  o["last_us"] = s.last_us;
  o["now_us"] = now;
  o["since_reset_s"] = static_cast<double>(now - s.reset_us) / 1e6;
  // Arrival rate between the first and the last request since the reset.
  o["rate"] =
      s.count > 1 && s.last_us > s.first_us
          ? static_cast<double>(s.count - 1) * 1e6 / static_cast<double>(s.last_us - s.first_us)
          : 0.0;
  return json::serialize(o);
}

bool read_int(const json::value* p, int64_t& out) {
  if (p == nullptr) return false;
  if (p->is_int64()) {
    out = p->get_int64();
  } else if (p->is_uint64()) {
    out = static_cast<int64_t>(p->get_uint64());
  } else if (p->is_double()) {
    out = static_cast<int64_t>(p->get_double());
  } else {
    return false;
  }
  return true;
}

// Reads data.event_details.sent_us (a number) from a delivery body, or event_details.sent_us. A
// body that is not JSON, or has no such field, gives no sample. With `seq`, also reads
// event_details.seq into it (-1 when absent).
bool read_sent_us(std::string_view body, int64_t& sent_us, int64_t* seq = nullptr) {
  if (body.empty() || body.find("sent_us") == std::string_view::npos) return false;
  unsigned char buffer[16384];
  json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, &resource);
  if (ec || !v.is_object()) return false;
  // A delivery has it in data.event_details; an event posted straight here (the latency floor)
  // in event_details.
  const json::object* o = &v.get_object();
  if (const json::value* data = o->if_contains("data"); data != nullptr && data->is_object()) {
    o = &data->get_object();
  }
  const json::value* p = o->if_contains("event_details");
  if (p == nullptr || !p->is_object()) return false;
  const json::object& details = p->get_object();
  if (seq != nullptr && !read_int(details.if_contains("seq"), *seq)) *seq = -1;
  return read_int(details.if_contains("sent_us"), sent_us);
}

enum class Mode { kOk, kFail, kHang };

struct Worker;

struct Receiver {
  Stats stats;
  std::vector<std::unique_ptr<Worker>> workers;
  std::atomic<size_t> next_worker{0};
  std::atomic<bool> down{false};
  unsigned short data_port = 0;
  std::unique_ptr<tcp::acceptor> data_acceptor;  // on workers[0]; null while down
  uint64_t accept_generation = 0;                // bumps on each "up": old accept loops end
  std::string dump_first;                        // file to write the first request body to
  std::atomic<bool> dumped{false};
  std::atomic<Mode> mode{Mode::kOk};
  std::mutex seq_mutex;
  std::ofstream seq_log;  // GUARDED_BY(seq_mutex); open with --log-seq

  asio::io_context& main_context();
  void listen_data();
  void go_down();
  void go_up();
};

// One thread, one io_context, and the data connections it owns (closed from this thread only).
struct Worker {
  asio::io_context ioc{1};
  std::unordered_set<tcp::socket*> sockets;  // only touched on this worker's thread
  std::thread thread;

  void close_all() {
    for (tcp::socket* s : sockets) {
      boost::system::error_code ignored;
      s->set_option(asio::socket_base::linger(true, 0), ignored);  // RST, no TIME_WAIT here
      s->close(ignored);
    }
    sockets.clear();
  }
};

asio::io_context& Receiver::main_context() { return workers[0]->ioc; }

awaitable<void> serve_data(Receiver& r, Worker& w, tcp::socket socket) {
  if (r.down) co_return;  // went down between the accept and now
  w.sockets.insert(&socket);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [ec, n] = co_await http::async_read(socket, buffer, parser, kTuple);
    if (ec || r.down) break;  // down: close without an answer, as a dead process would
    const int64_t arrived = now_us();
    auto& req = parser.get();
    const std::string_view body = req.body();
    int64_t sent = 0, seq = -1;
    const bool logging = r.seq_log.is_open();
    const bool has_latency = read_sent_us(body, sent, logging ? &seq : nullptr);
    const auto id_field = req.find("webhook-id");
    const std::string_view id =
        id_field == req.end() ? std::string_view() : std::string_view(id_field->value());
    r.stats.record(id, arrived - sent, has_latency, body.size(), arrived);
    const Mode mode = r.mode.load();
    if (logging && mode == Mode::kOk) {  // only what is answered 200: a delivery that succeeded
      std::lock_guard lock(r.seq_mutex);
      r.seq_log << seq << '\n';
    }
    if (!r.dump_first.empty() && !r.dumped.exchange(true)) {
      std::ofstream out(r.dump_first, std::ios::binary);
      out << body;
    }
    if (mode == Mode::kHang) continue;  // no answer: the next read ends when the peer gives up
    res = {};
    res.result(mode == Mode::kFail ? http::status::internal_server_error : http::status::ok);
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    res.body() = mode == Mode::kFail ? "fail" : "ok";
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(socket, res, kTuple);
    if (wec || !res.keep_alive()) break;
  }
  w.sockets.erase(&socket);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

awaitable<void> accept_data(Receiver& r, uint64_t generation) {
  while (true) {
    if (!r.data_acceptor || generation != r.accept_generation) co_return;
    Worker& w = *r.workers[r.next_worker++ % r.workers.size()];
    auto [ec, socket] = co_await r.data_acceptor->async_accept(w.ioc, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(w.ioc, serve_data(r, w, std::move(socket)), asio::detached);
  }
}

void Receiver::listen_data() {
  auto acceptor = std::make_unique<tcp::acceptor>(main_context());
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), data_port);
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(endpoint);
  acceptor->listen(asio::socket_base::max_listen_connections);
  data_port = acceptor->local_endpoint().port();
  data_acceptor = std::move(acceptor);
  ++accept_generation;
  asio::co_spawn(main_context(), accept_data(*this, accept_generation), asio::detached);
}

// Runs on the main context.
void Receiver::go_down() {
  if (down.exchange(true)) return;
  if (data_acceptor) {
    boost::system::error_code ignored;
    data_acceptor->close(ignored);
    // The accept loop still refers to the acceptor until its aborted accept completes: free it
    // on a later turn.
    asio::post(main_context(), [a = std::shared_ptr<tcp::acceptor>(std::move(data_acceptor))] {});
  }
  for (auto& w : workers) asio::post(w->ioc, [wp = w.get()] { wp->close_all(); });
}

void Receiver::go_up() {
  if (!down.exchange(false)) return;
  listen_data();
}

awaitable<void> serve_control(Receiver& r, tcp::socket socket) {
  beast::flat_buffer buffer;
  while (true) {
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(socket, buffer, req, kTuple);
    if (ec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    const std::string target(req.target());
    const bool get = req.method() == http::verb::get, post = req.method() == http::verb::post;
    if (get && target == "/stats") {
      if (r.seq_log.is_open()) {
        std::lock_guard lock(r.seq_mutex);
        r.seq_log.flush();
      }
      res.body() = stats_json(r.stats);
    } else if (post && (target == "/ok" || target == "/fail" || target == "/hang")) {
      r.mode = target == "/ok" ? Mode::kOk : target == "/fail" ? Mode::kFail : Mode::kHang;
      res.body() = json::serialize(json::object{{"ok", true}, {"mode", target.substr(1)}});
    } else if (post && target == "/reset") {
      r.stats.reset();
      res.body() = R"({"ok":true})";
    } else if (post && target == "/down") {
      r.go_down();
      res.body() = R"({"ok":true,"down":true})";
    } else if (post && target == "/up") {
      try {
        r.go_up();
        res.body() = R"({"ok":true,"down":false})";
      } catch (const std::exception& e) {
        res.result(http::status::internal_server_error);
        res.body() = json::serialize(json::object{{"error", e.what()}});
      }
    } else {
      res.result(http::status::not_found);
      res.body() = R"({"error":"GET /stats, POST /reset, /down, /up, /ok, /fail or /hang"})";
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(socket, res, kTuple);
    if (wec || !res.keep_alive()) break;
  }
}

awaitable<void> accept_control(Receiver& r, tcp::acceptor& acceptor) {
  while (true) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) co_return;
    asio::co_spawn(r.main_context(), serve_control(r, std::move(socket)), asio::detached);
  }
}

[[noreturn]] void usage(const char* why) {
  std::cerr << "hookline-bench-receiver: " << why << "\n"
            << "usage: hookline-bench-receiver [--port N] [--control-port N] [--threads N] "
               "[--down] [--dump-first FILE]\n"
               "         [--mode ok|fail|hang] [--log-seq FILE]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Receiver r;
  unsigned short control_port = 0;
  int threads = 1;
  bool start_down = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--port") {
      r.data_port = static_cast<unsigned short>(std::stoi(value()));
    } else if (a == "--control-port") {
      control_port = static_cast<unsigned short>(std::stoi(value()));
    } else if (a == "--threads") {
      threads = std::max(1, std::stoi(value()));
    } else if (a == "--down") {
      start_down = true;
    } else if (a == "--dump-first") {
      r.dump_first = value();
    } else if (a == "--mode") {
      const std::string m = value();
      if (m != "ok" && m != "fail" && m != "hang") usage("--mode is ok, fail or hang");
      r.mode = m == "ok" ? Mode::kOk : m == "fail" ? Mode::kFail : Mode::kHang;
    } else if (a == "--log-seq") {
      r.seq_log.open(value(), std::ios::out | std::ios::trunc);
      if (!r.seq_log) usage("cannot open the --log-seq file");
    } else {
      usage("unknown argument");
    }
  }
  for (int i = 0; i < threads; ++i) r.workers.push_back(std::make_unique<Worker>());

  tcp::acceptor control(r.main_context(),
                        tcp::endpoint(asio::ip::make_address("127.0.0.1"), control_port));
  asio::co_spawn(r.main_context(), accept_control(r, control), asio::detached);
  // The data port is bound even when starting down, so that its number is known; then closed.
  r.listen_data();
  if (start_down) r.go_down();

  asio::signal_set signals(r.main_context(), SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    for (auto& w : r.workers) w->ioc.stop();
  });

  std::cout << "receiver ready data=127.0.0.1:" << r.data_port
            << " control=127.0.0.1:" << control.local_endpoint().port() << std::endl;

  for (size_t i = 1; i < r.workers.size(); ++i) {
    Worker* w = r.workers[i].get();
    w->thread = std::thread([w] {
      auto guard = asio::make_work_guard(w->ioc);
      w->ioc.run();
    });
  }
  {
    auto guard = asio::make_work_guard(r.main_context());
    r.main_context().run();
  }
  for (size_t i = 1; i < r.workers.size(); ++i) r.workers[i]->thread.join();
  return 0;
}
