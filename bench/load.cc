// hookline-bench-load: a paced (open-loop) or closed-loop HTTP load driver for POST /v1/events and
// POST /v1/events/batch (bench/README.md).
//
// Paced (--rate R): request i is due at start + i/R, whichever connection is free takes it. Its
// event_details carry "sent_us" = the request's DUE time (microseconds since the epoch), not the
// time it actually left: when the driver or the server falls behind, the wait counts in the
// latency the receiver measures (no coordinated omission). Closed loop (--rate 0): every
// connection sends its next request as soon as the previous one is answered, until --requests or
// --duration ends it.
//
// Prints one JSON object: requests sent, answered by status class, the achieved rate, and the
// response time (due time to answer) p50/p99.
//
// --log-accepted FILE writes the event_details.seq of every event whose request was answered 2xx,
// one per line (the soak compares them with what the receiver got). Events are numbered from 0 in
// the order they are made, so one driver's seqs are unique.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string key;
  double rate = 0;         // requests per second; 0: closed loop
  double duration = 10;    // seconds
  long long requests = 0;  // stop after this many requests (0: duration only)
  int connections = 16;
  int batch = 0;  // 0: single posts to /v1/events; N: N events per POST /v1/events/batch
  long long contacts = 10000;  // distinct contact emails, used round-robin
  int pad = 200;               // bytes of padding in event_details
  std::string tag = "load";
  std::string log_accepted;  // file for the seqs of accepted events; empty: none
};

struct Results {
  long long sent = 0, ok = 0, status_4xx = 0, status_5xx = 0, other = 0, io_errors = 0;
  std::vector<uint32_t> response_us;  // due time to response, per answered request
  Clock::time_point first_sent, last_done;
};

struct Driver {
  Options o;
  asio::io_context ioc{1};
  tcp::endpoint endpoint;
  Clock::time_point start_steady;
  int64_t start_system_us = 0;
  Clock::time_point deadline;
  long long next = 0;       // index of the next request to take
  long long event_seq = 0;  // events made so far
  Results results;
  std::string padding;
  std::string auth;
  std::string target;
  std::ofstream accepted_log;

  bool take(long long& index) {
    if (o.requests > 0 && next >= o.requests) return false;
    if (o.rate > 0) {
      const double due_s = static_cast<double>(next) / o.rate;
      if (due_s >= o.duration) return false;
    } else if (Clock::now() >= deadline) {
      return false;
    }
    index = next++;
    return true;
  }

  void append_event(std::string& out, int64_t sent_us) {
    const long long seq = event_seq++;
    out += R"({"event":"bench.event","contact":{"email":"c)";
    out += std::to_string(seq % o.contacts);
    out += R"(@bench.test"},"event_details":{"sent_us":)";
    out += std::to_string(sent_us);
    out += R"(,"seq":)";
    out += std::to_string(seq);
    out += R"(,"tag":")";
    out += o.tag;
    out += R"(","pad":")";
    out += padding;
    out += R"("}})";
  }

  std::string make_body(int64_t sent_us) {
    std::string body;
    if (o.batch <= 0) {
      body.reserve(256 + padding.size());
      append_event(body, sent_us);
      return body;
    }
    body.reserve(static_cast<size_t>(o.batch) * (256 + padding.size()));
    body += R"({"events":[)";
    for (int i = 0; i < o.batch; ++i) {
      if (i > 0) body += ',';
      append_event(body, sent_us);
    }
    body += "]}";
    return body;
  }

  awaitable<void> connection() {
    tcp::socket socket(ioc);
    beast::flat_buffer buffer;
    asio::steady_timer timer(ioc);
    long long index = 0;
    while (take(index)) {
      Clock::time_point due = Clock::now();
      int64_t sent_us;
      if (o.rate > 0) {
        const auto offset = std::chrono::microseconds(
            static_cast<int64_t>(static_cast<double>(index) * 1e6 / o.rate));
        due = start_steady + offset;
        sent_us = start_system_us + offset.count();
        if (due > Clock::now()) {
          timer.expires_at(due);
          co_await timer.async_wait(kTuple);
        }
      } else {
        sent_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
      }
      if (!socket.is_open()) {
        auto [cec] = co_await socket.async_connect(endpoint, kTuple);
        if (cec) {
          ++results.io_errors;
          boost::system::error_code ignored;
          socket.close(ignored);
          timer.expires_after(std::chrono::milliseconds(10));
          co_await timer.async_wait(kTuple);
          continue;
        }
        socket.set_option(tcp::no_delay(true));
      }
      http::request<http::string_body> req{http::verb::post, target, 11};
      req.set(http::field::host, o.host + ":" + o.port);
      req.set(http::field::authorization, auth);
      req.set(http::field::content_type, "application/json");
      const long long first_seq = event_seq;
      req.body() = make_body(sent_us);
      const long long last_seq = event_seq;
      req.keep_alive(true);
      req.prepare_payload();
      if (results.sent == 0) results.first_sent = Clock::now();
      ++results.sent;
      auto [wec, wn] = co_await http::async_write(socket, req, kTuple);
      http::response<http::string_body> res;
      boost::system::error_code rec;
      if (!wec) {
        auto [e, n] = co_await http::async_read(socket, buffer, res, kTuple);
        rec = e;
      }
      if (wec || rec) {
        ++results.io_errors;
        boost::system::error_code ignored;
        socket.close(ignored);
        buffer.clear();
        continue;
      }
      const auto done = Clock::now();
      results.last_done = done;
      const int status = res.result_int();
      if (status >= 200 && status < 300) {
        ++results.ok;
        if (accepted_log.is_open()) {
          for (long long s = first_seq; s < last_seq; ++s) accepted_log << s << '\n';
        }
      } else if (status >= 400 && status < 500) {
        ++results.status_4xx;
      } else if (status >= 500) {
        ++results.status_5xx;
      } else {
        ++results.other;
      }
      if (results.status_4xx + results.status_5xx <= 3 && status >= 400) {
        std::cerr << "hookline-bench-load: HTTP " << status << ": " << res.body() << "\n";
      }
      results.response_us.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(done - due).count()));
      if (!res.keep_alive()) {
        boost::system::error_code ignored;
        socket.close(ignored);
      }
    }
  }
};

double percentile_ms(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

[[noreturn]] void usage(const char* why) {
  std::cerr << "hookline-bench-load: " << why << "\n"
            << "usage: hookline-bench-load --port N --key K [--host H] [--rate R] [--duration S]\n"
               "         [--requests N] [--connections C] [--batch N] [--contacts N] [--pad N]\n"
               "         [--tag T] [--log-accepted FILE]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Driver d;
  Options& o = d.o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--host") {
      o.host = value();
    } else if (a == "--port") {
      o.port = value();
    } else if (a == "--key") {
      o.key = value();
    } else if (a == "--rate") {
      o.rate = std::stod(value());
    } else if (a == "--duration") {
      o.duration = std::stod(value());
    } else if (a == "--requests") {
      o.requests = std::stoll(value());
    } else if (a == "--connections") {
      o.connections = std::max(1, std::stoi(value()));
    } else if (a == "--batch") {
      o.batch = std::stoi(value());
    } else if (a == "--contacts") {
      o.contacts = std::max(1LL, std::stoll(value()));
    } else if (a == "--pad") {
      o.pad = std::max(0, std::stoi(value()));
    } else if (a == "--tag") {
      o.tag = value();
    } else if (a == "--log-accepted") {
      o.log_accepted = value();
    } else {
      usage("unknown argument");
    }
  }
  if (o.port.empty()) usage("--port is required");
  if (o.duration <= 0 || o.duration > 3600) usage("--duration must be in (0, 3600]");
  d.endpoint =
      tcp::endpoint(asio::ip::make_address(o.host), static_cast<unsigned short>(std::stoi(o.port)));
  d.padding.assign(static_cast<size_t>(o.pad), 'x');
  d.auth = "Bearer " + o.key;
  d.target = o.batch > 0 ? "/v1/events/batch" : "/v1/events";
  if (o.batch > 1000) usage("--batch is at most 1000");
  if (!o.log_accepted.empty()) {
    d.accepted_log.open(o.log_accepted, std::ios::out | std::ios::trunc);
    if (!d.accepted_log) usage("cannot open the --log-accepted file");
  }

  d.start_steady = Clock::now();
  d.start_system_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  // Closed loop: no request starts after the duration. Either mode: run_for below stops
  // everything at duration + 30 s, whatever is still outstanding.
  d.deadline = d.start_steady + std::chrono::microseconds(static_cast<int64_t>(o.duration * 1e6));
  for (int i = 0; i < o.connections; ++i) {
    asio::co_spawn(d.ioc, d.connection(), asio::detached);
  }
  d.ioc.run_for(std::chrono::microseconds(static_cast<int64_t>(o.duration * 1e6)) +
                std::chrono::seconds(30));

  Results& r = d.results;
  const double elapsed =
      r.sent > 0 ? std::chrono::duration<double>(r.last_done - d.start_steady).count() : 0.0;
  const long long per_request = o.batch > 0 ? o.batch : 1;
  json::object out;
  out["mode"] = o.rate > 0 ? "paced" : "closed";
  out["target_rate"] = o.rate;
  out["connections"] = o.connections;
  out["batch"] = o.batch;
  out["sent"] = r.sent;
  out["ok"] = r.ok;
  out["status_4xx"] = r.status_4xx;
  out["status_5xx"] = r.status_5xx;
  out["io_errors"] = r.io_errors;
  out["elapsed_s"] = elapsed;
  out["requests_per_s"] = elapsed > 0 ? static_cast<double>(r.ok) / elapsed : 0.0;
  out["events_ok"] = r.ok * per_request;
  out["events_per_s"] = elapsed > 0 ? static_cast<double>(r.ok * per_request) / elapsed : 0.0;
  out["response_p50_ms"] = percentile_ms(r.response_us, 0.50);
  out["response_p99_ms"] = percentile_ms(r.response_us, 0.99);
  out["response_max_ms"] =
      r.response_us.empty()
          ? 0.0
          : *std::max_element(r.response_us.begin(), r.response_us.end()) / 1000.0;
  out["start_us"] = d.start_system_us;
  if (d.accepted_log.is_open()) d.accepted_log.flush();
  std::cout << json::serialize(out) << std::endl;
  return r.ok > 0 ? 0 : 1;
}
