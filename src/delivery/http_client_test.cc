#include "delivery/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "delivery/test_receiver.h"

namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

constexpr auto kWaitLimit = std::chrono::seconds(10);  // bound on every wait in these tests

outbound::OutboundRequest post(std::string url, std::string body = "{}") {
  outbound::OutboundRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  return request;
}

// Sends and waits (bounded) for the callback.
outbound::OutboundResult send_and_wait(HttpClient& client, outbound::OutboundRequest request) {
  auto promise = std::make_shared<std::promise<outbound::OutboundResult>>();
  std::future<outbound::OutboundResult> future = promise->get_future();
  client.send(std::move(request), [promise](outbound::OutboundResult result) {
    promise->set_value(std::move(result));
  });
  if (future.wait_for(kWaitLimit) != std::future_status::ready) {
    ADD_FAILURE() << "no result within the wait limit";
    return {};
  }
  return future.get();
}

// The header names of a raw request, in order.
std::vector<std::string> header_names(const std::string& request) {
  std::vector<std::string> names;
  const std::string head = request.substr(0, request.find("\r\n\r\n"));
  size_t line = head.find("\r\n");
  while (line != std::string::npos) {
    const size_t next = head.find("\r\n", line + 2);
    const std::string text =
        head.substr(line + 2, next == std::string::npos ? next : next - line - 2);
    names.push_back(text.substr(0, text.find(':')));
    line = next;
  }
  return names;
}

std::string header_value(const outbound::OutboundResponse& response, std::string_view name) {
  for (const auto& [n, v] : response.headers) {
    if (lower(n) == lower(std::string(name))) return v;
  }
  return "<absent>";
}

TEST(HttpClientTest, PostSendsExactlyTheGivenHeadersAndBody) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed());
  outbound::OutboundRequest request =
      post(receiver.url("/hook?x=1"), R"({"event":"contact.create"})");
  request.headers = {{"Content-Type", "application/json;charset=UTF-8"},
                     {"User-Agent", "Hookline/0.1.0"},
                     {"webhook-id", "msg_1"},
                     {"X-Empty", ""}};
  const outbound::OutboundResult result = send_and_wait(client, request);
  ASSERT_TRUE(result.response.has_value()) << result.error_message;

  const std::vector<std::string> seen = receiver.requests();
  ASSERT_EQ(seen.size(), 1u);
  const std::string& raw = seen[0];
  EXPECT_TRUE(raw.starts_with("POST /hook?x=1 HTTP/1.1\r\n")) << raw;
  EXPECT_NE(raw.find("\r\nContent-Type: application/json;charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(raw.find("\r\nUser-Agent: Hookline/0.1.0\r\n"), std::string::npos);
  EXPECT_NE(raw.find("\r\nwebhook-id: msg_1\r\n"), std::string::npos);
  EXPECT_NE(raw.find("\r\nX-Empty:"), std::string::npos);
  EXPECT_NE(raw.find("\r\nContent-Length: 26\r\n"), std::string::npos);
  EXPECT_TRUE(raw.ends_with("\r\n\r\n{\"event\":\"contact.create\"}")) << raw;
  // Nothing of curl's own beyond Host and Content-Length: no Expect, no Accept.
  const std::vector<std::string> expected = {"Host",       "Content-Type", "User-Agent",
                                             "webhook-id", "X-Empty",      "Content-Length"};
  std::vector<std::string> names = header_names(raw);
  std::sort(names.begin(), names.end());
  std::vector<std::string> sorted_expected = expected;
  std::sort(sorted_expected.begin(), sorted_expected.end());
  EXPECT_EQ(names, sorted_expected) << raw;
}

TEST(HttpClientTest, ContentTypeIsSentOnlyWhenGiven) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed());
  outbound::OutboundRequest request = post(receiver.url(), "plain");
  request.headers.clear();
  ASSERT_TRUE(send_and_wait(client, request).response.has_value());
  const std::string raw = receiver.requests().at(0);
  EXPECT_EQ(lower(raw).find("content-type"), std::string::npos) << raw;
  EXPECT_EQ(lower(raw).find("accept"), std::string::npos) << raw;
}

TEST(HttpClientTest, LargeBodyIsSentWithoutExpectContinue) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed());
  const std::string body(2 * 1024 * 1024, 'x');  // curl would ask for 100-continue past 1 MiB
  const outbound::OutboundResult result = send_and_wait(client, post(receiver.url(), body));
  ASSERT_TRUE(result.response.has_value()) << result.error_message;
  const std::string raw = receiver.requests().at(0);
  EXPECT_EQ(lower(raw.substr(0, raw.find("\r\n\r\n"))).find("expect"), std::string::npos);
  EXPECT_TRUE(raw.ends_with(body));
}

TEST(HttpClientTest, PutAndPatchCarryTheirMethodAndBody) {
  TestReceiver receiver(always(204));
  HttpClient client(loopback_allowed());
  for (std::string method : {"PUT", "PATCH"}) {
    outbound::OutboundRequest request = post(receiver.url(), "{\"m\":\"" + method + "\"}");
    request.method = method;
    const outbound::OutboundResult result = send_and_wait(client, request);
    ASSERT_TRUE(result.response.has_value()) << result.error_message;
    EXPECT_EQ(result.response->status, 204);
  }
  const std::vector<std::string> seen = receiver.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].starts_with("PUT /hook HTTP/1.1\r\n"));
  EXPECT_TRUE(seen[0].ends_with("{\"m\":\"PUT\"}"));
  EXPECT_TRUE(seen[1].starts_with("PATCH /hook HTTP/1.1\r\n"));
  EXPECT_TRUE(seen[1].ends_with("{\"m\":\"PATCH\"}"));
}

TEST(HttpClientTest, StatusHeadersAndBodyOfTheResponseAreCaptured) {
  TestReceiver receiver([](const std::string& request) {
    return request.find("/fail") != std::string::npos
               ? respond(500, "boom", "X-Reason: db down\r\n")
               : respond(200, "hello", "X-Reply: yes\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
  });
  HttpClient client(loopback_allowed());

  const outbound::OutboundResult ok = send_and_wait(client, post(receiver.url("/ok")));
  ASSERT_TRUE(ok.response.has_value()) << ok.error_message;
  EXPECT_FALSE(ok.error.has_value());
  EXPECT_EQ(ok.response->status, 200);
  EXPECT_EQ(ok.response->body, "hello");
  EXPECT_FALSE(ok.response->body_truncated);
  EXPECT_EQ(header_value(*ok.response, "X-Reply"), "yes");
  EXPECT_EQ(header_value(*ok.response, "Content-Length"), "5");
  const auto cookies = std::count_if(ok.response->headers.begin(), ok.response->headers.end(),
                                     [](const auto& h) { return h.first == "Set-Cookie"; });
  EXPECT_EQ(cookies, 2);
  EXPECT_GT(ok.duration.count(), 0);

  const outbound::OutboundResult failed = send_and_wait(client, post(receiver.url("/fail")));
  ASSERT_TRUE(failed.response.has_value()) << failed.error_message;
  EXPECT_FALSE(failed.error.has_value());  // a 500 is a response, not a transport error
  EXPECT_EQ(failed.response->status, 500);
  EXPECT_EQ(failed.response->body, "boom");
  EXPECT_EQ(header_value(*failed.response, "X-Reason"), "db down");
}

TEST(HttpClientTest, BodyPastTheLimitIsTruncatedAndStillAResponse) {
  TestReceiver receiver(always(200, std::string(100000, 'b'), "X-Reply: big\r\n"));
  HttpClientOptions options = loopback_allowed();
  options.max_response_body = 1000;
  HttpClient client(std::move(options));
  const outbound::OutboundResult result = send_and_wait(client, post(receiver.url()));
  ASSERT_TRUE(result.response.has_value()) << result.error_message;
  EXPECT_FALSE(result.error.has_value());
  EXPECT_EQ(result.response->status, 200);
  EXPECT_EQ(result.response->body, std::string(1000, 'b'));
  EXPECT_TRUE(result.response->body_truncated);
  EXPECT_EQ(header_value(*result.response, "X-Reply"), "big");
}

TEST(HttpClientTest, BodyExactlyAtTheLimitIsNotTruncated) {
  TestReceiver receiver(always(200, std::string(1000, 'b')));
  HttpClientOptions options = loopback_allowed();
  options.max_response_body = 1000;
  HttpClient client(std::move(options));
  const outbound::OutboundResult result = send_and_wait(client, post(receiver.url()));
  ASSERT_TRUE(result.response.has_value()) << result.error_message;
  EXPECT_EQ(result.response->body.size(), 1000u);
  EXPECT_FALSE(result.response->body_truncated);
}

TEST(HttpClientTest, ClosedPortIsConnectRefused) {
  // A port that was just free on 127.0.0.1: bound, then released.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), size), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  close(fd);

  HttpClient client(loopback_allowed());
  const outbound::OutboundResult result = send_and_wait(
      client, post("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/"));
  EXPECT_FALSE(result.response.has_value());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kConnectRefused) << result.error_message;
  EXPECT_FALSE(result.error_message.empty());
}

TEST(HttpClientTest, SilentReceiverTimesOut) {
  TestReceiver receiver([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  HttpClient client(loopback_allowed());
  outbound::OutboundRequest request = post(receiver.url());
  request.total_timeout = milliseconds(300);
  const outbound::OutboundResult result = send_and_wait(client, request);
  EXPECT_FALSE(result.response.has_value());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kTimeout) << result.error_message;
  EXPECT_GE(result.duration, milliseconds(250));
  EXPECT_LT(result.duration, milliseconds(5000));
}

TEST(HttpClientTest, ClosedWithoutAnswerIsConnectionReset) {
  TestReceiver receiver([](const std::string&) { return TestReceiver::Reply{"", true, false}; });
  HttpClient client(loopback_allowed());
  const outbound::OutboundResult result = send_and_wait(client, post(receiver.url()));
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kConnectionReset) << result.error_message;
}

TEST(HttpClientTest, TlsToAPlainHttpServerIsATlsError) {
  TestReceiver receiver(always(200), "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  HttpClient client(loopback_allowed());
  const outbound::OutboundResult result =
      send_and_wait(client, post("https://127.0.0.1:" + std::to_string(receiver.port()) + "/hook"));
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kTls) << result.error_message;
}

TEST(HttpClientTest, GuardRefusesLoopbackBeforeAnyConnection) {
  TestReceiver receiver(always(200));
  {
    HttpClient guarded(HttpClientOptions{});  // the guard fully on
    const outbound::OutboundResult result = send_and_wait(guarded, post(receiver.url()));
    EXPECT_FALSE(result.response.has_value());
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(*result.error, outbound::TransportError::kBlockedTarget) << result.error_message;
    EXPECT_NE(result.error_message.find("127.0.0.1"), std::string::npos) << result.error_message;
  }
  // With loopback allowed the same request goes through; the receiver accepts connections in
  // order, so a connection from the guarded client would have been counted first.
  HttpClient allowed(loopback_allowed());
  const outbound::OutboundResult result = send_and_wait(allowed, post(receiver.url()));
  ASSERT_TRUE(result.response.has_value()) << result.error_message;
  EXPECT_EQ(result.response->status, 200);
  EXPECT_EQ(receiver.connections(), 1);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(HttpClientTest, GuardAlsoAppliesToHostNames) {
  TestReceiver receiver(always(200));
  HttpClient guarded(HttpClientOptions{});
  // "localhost" never leaves the machine: curl resolves it to loopback itself.
  const outbound::OutboundResult result =
      send_and_wait(guarded, post("http://localhost:" + std::to_string(receiver.port()) + "/hook"));
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kBlockedTarget) << result.error_message;
  EXPECT_TRUE(receiver.requests().empty());
}

TEST(HttpClientTest, SequentialRequestsReuseOneConnection) {
  TestReceiver receiver(always(200, "ok"));
  HttpClient client(loopback_allowed());
  for (int i = 0; i < 3; ++i) {
    const outbound::OutboundResult result = send_and_wait(client, post(receiver.url()));
    ASSERT_TRUE(result.response.has_value()) << result.error_message;
  }
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(HttpClientTest, HostConnectionLimitQueuesOnOneConnection) {
  TestReceiver receiver(always(200, "ok"));
  HttpClientOptions options = loopback_allowed();
  options.max_host_connections = 1;
  HttpClient client(std::move(options));
  constexpr int kRequests = 5;
  std::vector<std::future<outbound::OutboundResult>> results;
  for (int i = 0; i < kRequests; ++i) {
    auto promise = std::make_shared<std::promise<outbound::OutboundResult>>();
    results.push_back(promise->get_future());
    client.send(post(receiver.url()),
                [promise](outbound::OutboundResult r) { promise->set_value(r); });
  }
  for (auto& future : results) {
    ASSERT_EQ(future.wait_for(kWaitLimit), std::future_status::ready);
    const outbound::OutboundResult result = future.get();
    ASSERT_TRUE(result.response.has_value()) << result.error_message;
  }
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(HttpClientTest, RedirectIsAResponseAndNotFollowed) {
  TestReceiver receiver([](const std::string& request) {
    return request.starts_with("POST /hook ") ? respond(302, "", "Location: /elsewhere\r\n")
                                              : respond(200, "followed");
  });
  HttpClient client(loopback_allowed());
  const outbound::OutboundResult result = send_and_wait(client, post(receiver.url()));
  ASSERT_TRUE(result.response.has_value()) << result.error_message;
  EXPECT_EQ(result.response->status, 302);
  EXPECT_EQ(header_value(*result.response, "Location"), "/elsewhere");
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(HttpClientTest, UserAgentOptionFillsInOnlyWhenTheRequestHasNone) {
  TestReceiver receiver(always(200));
  HttpClientOptions options = loopback_allowed();
  options.user_agent = "Hookline/test";
  HttpClient client(std::move(options));
  ASSERT_TRUE(send_and_wait(client, post(receiver.url())).response.has_value());
  outbound::OutboundRequest own = post(receiver.url());
  own.headers.emplace_back("user-agent", "Custom/1");
  ASSERT_TRUE(send_and_wait(client, own).response.has_value());
  const std::vector<std::string> seen = receiver.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(seen[0].find("\r\nUser-Agent: Hookline/test\r\n"), std::string::npos) << seen[0];
  EXPECT_NE(seen[1].find("\r\nuser-agent: Custom/1\r\n"), std::string::npos) << seen[1];
  EXPECT_EQ(seen[1].find("Hookline/test"), std::string::npos) << seen[1];
}

TEST(HttpClientTest, HeaderInjectionIsRefusedWithoutConnecting) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed());
  outbound::OutboundRequest bad_value = post(receiver.url());
  bad_value.headers.emplace_back("X-Evil", "a\r\nX-Injected: 1");
  outbound::OutboundRequest bad_name = post(receiver.url());
  bad_name.headers.emplace_back("X Evil", "a");
  outbound::OutboundRequest bad_method = post(receiver.url());
  bad_method.method = "PO ST";
  for (const outbound::OutboundRequest& request : {bad_value, bad_name, bad_method}) {
    const outbound::OutboundResult result = send_and_wait(client, request);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(*result.error, outbound::TransportError::kOther);
    EXPECT_FALSE(result.error_message.empty());
  }
  EXPECT_EQ(receiver.connections(), 0);
}

TEST(HttpClientTest, OnlyHttpAndHttpsUrlsAreFetched) {
  HttpClient client(loopback_allowed());
  outbound::OutboundRequest request = post("file:///etc/passwd");
  const outbound::OutboundResult result = send_and_wait(client, request);
  EXPECT_FALSE(result.response.has_value());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kOther);
}

TEST(HttpClientTest, ConcurrentSendersAllGetTheirResults) {
  TestReceiver receiver([](const std::string& request) {
    // Echo the body so each result can be matched to its request.
    return respond(200, request.substr(request.find("\r\n\r\n") + 4));
  });
  constexpr int kPerThread = 40;
  std::atomic<int> matched = 0;  // before the client: callbacks may run until it is destroyed
  std::atomic<int> done = 0;
  HttpClient client(loopback_allowed());
  const auto sender = [&](int thread) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string body = std::to_string(thread) + ":" + std::to_string(i);
      client.send(post(receiver.url(), body), [&, body](outbound::OutboundResult result) {
        if (result.response && result.response->body == body) ++matched;
        ++done;
      });
    }
  };
  std::thread a(sender, 1);
  std::thread b(sender, 2);
  a.join();
  b.join();
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (done < 2 * kPerThread && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(done, 2 * kPerThread);
  EXPECT_EQ(matched, 2 * kPerThread);
}

TEST(HttpClientTest, CallbacksMaySendAgain) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed());
  auto second = std::make_shared<std::promise<outbound::OutboundResult>>();
  std::future<outbound::OutboundResult> future = second->get_future();
  const std::string url = receiver.url();
  client.send(post(url), [&client, url, second](outbound::OutboundResult) {
    client.send(post(url),
                [second](outbound::OutboundResult result) { second->set_value(result); });
  });
  ASSERT_EQ(future.wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_TRUE(future.get().response.has_value());
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST(HttpClientTest, DestructionCompletesRequestsInFlightAsShuttingDown) {
  TestReceiver receiver([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  auto promise = std::make_shared<std::promise<outbound::OutboundResult>>();
  std::future<outbound::OutboundResult> future = promise->get_future();
  {
    HttpClient client(loopback_allowed());
    client.send(post(receiver.url()),
                [promise](outbound::OutboundResult r) { promise->set_value(r); });
    const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    while (receiver.requests().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    ASSERT_EQ(receiver.requests().size(), 1u);
  }
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  const outbound::OutboundResult result = future.get();
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(*result.error, outbound::TransportError::kOther);
  EXPECT_EQ(result.error_message, "shutting down");
}

// Driver::kCaller: the test's thread is the client's loop, as the dispatcher's is.
TEST(HttpClientTest, CallerDrivenClientRunsCallbacksOnTheDrivingThread) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed(), HttpClient::Driver::kCaller);
  std::vector<std::thread::id> callback_threads;
  int done = 0;
  // Sent from the driving thread, and a second one from its callback.
  client.send(post(receiver.url()), [&](outbound::OutboundResult first) {
    EXPECT_TRUE(first.response.has_value());
    callback_threads.push_back(std::this_thread::get_id());
    ++done;
    client.send(post(receiver.url()), [&](outbound::OutboundResult second) {
      EXPECT_TRUE(second.response.has_value());
      callback_threads.push_back(std::this_thread::get_id());
      ++done;
    });
  });
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (done < 2 && std::chrono::steady_clock::now() < deadline) {
    client.work();
    if (done < 2) client.wait(deadline);
  }
  ASSERT_EQ(done, 2);
  EXPECT_EQ(callback_threads, std::vector<std::thread::id>(2, std::this_thread::get_id()));
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST(HttpClientTest, CallerDrivenWaitEndsForASendFromAnotherThreadOrAWake) {
  TestReceiver receiver(always(200));
  HttpClient client(loopback_allowed(), HttpClient::Driver::kCaller);
  client.work();  // this thread drives it from now on
  std::atomic<bool> answered = false;
  std::thread sender([&] {
    std::this_thread::sleep_for(milliseconds(50));
    client.send(post(receiver.url()),
                [&](outbound::OutboundResult result) { answered = result.response.has_value(); });
  });
  // Far off: only the send's wake-up can end this wait in time.
  const auto start = std::chrono::steady_clock::now();
  client.wait(start + kWaitLimit);
  sender.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (!answered && std::chrono::steady_clock::now() < deadline) {
    client.work();
    if (!answered) client.wait(deadline);
  }
  EXPECT_TRUE(answered);

  std::thread waker([&] {
    std::this_thread::sleep_for(milliseconds(50));
    client.wake();
  });
  const auto woken = std::chrono::steady_clock::now();
  client.wait(woken + kWaitLimit);
  waker.join();
  EXPECT_LT(std::chrono::steady_clock::now() - woken, std::chrono::milliseconds(900));
}

TEST(HttpClientTest, CallerDrivenClientEndsWhatIsLeftAsShuttingDownWhenDestroyed) {
  TestReceiver receiver([](const std::string&) { return TestReceiver::Reply{"", false, true}; });
  std::vector<std::string> ended;
  {
    HttpClient client(loopback_allowed(), HttpClient::Driver::kCaller);
    const auto remember = [&](outbound::OutboundResult result) {
      ended.push_back(result.error ? result.error_message : "answered");
    };
    client.send(post(receiver.url()), remember);
    const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    while (receiver.requests().empty() && std::chrono::steady_clock::now() < deadline) {
      client.work();
      client.wait(std::chrono::steady_clock::now() + milliseconds(5));
    }
    ASSERT_EQ(receiver.requests().size(), 1u);
    client.send(post(receiver.url()), remember);  // queued, never started
  }
  EXPECT_EQ(ended, (std::vector<std::string>{"shutting down", "shutting down"}));
}

// The client keeps a connection in its epoll while it is idle; a receiver that closes it then
// must neither make the loop spin on the closed socket nor fail the next request.
TEST(HttpClientTest, CallerDrivenClientReplacesAKeptConnectionItsReceiverClosed) {
  // Answers as if the connection stayed open, then closes it.
  TestReceiver receiver([](const std::string&) {
    TestReceiver::Reply reply = respond(200, "ok", "");
    reply.close = true;
    return reply;
  });
  HttpClient client(loopback_allowed(), HttpClient::Driver::kCaller);
  const auto drive = [&](outbound::OutboundRequest request) {
    std::optional<outbound::OutboundResult> result;
    client.send(std::move(request), [&](outbound::OutboundResult r) { result = std::move(r); });
    const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    while (!result && std::chrono::steady_clock::now() < deadline) {
      client.work();
      if (!result) client.wait(deadline);
    }
    return result;
  };
  const auto first = drive(post(receiver.url()));
  ASSERT_TRUE(first && first->response.has_value());

  // Idle for 300 ms: the close wakes the loop once or twice, not on every turn.
  int turns = 0;
  const auto idle_end = std::chrono::steady_clock::now() + milliseconds(300);
  while (std::chrono::steady_clock::now() < idle_end) {
    client.work();
    client.wait(idle_end);
    ++turns;
  }
  EXPECT_LE(turns, 5);

  const auto second = drive(post(receiver.url()));
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(second->response.has_value()) << second->error_message;
  EXPECT_EQ(second->response->status, 200);
  EXPECT_EQ(receiver.connections(), 2);
}

TEST(HttpClientTest, TransportErrorsHaveStableNames) {
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kTimeout), "timeout");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kConnectRefused),
            "connect_refused");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kDns), "dns");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kTls), "tls");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kBlockedTarget),
            "blocked_target");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kConnectionReset),
            "connection_reset");
  EXPECT_EQ(outbound::transport_error_name(outbound::TransportError::kOther), "network");
}

}  // namespace
}  // namespace hookline::delivery
