#pragma once

// A webhook call as data: the request to send, and what came back (a response, or why none did).
// Built by request_builder.h, sent by delivery/http_client.h, logged as an attempt.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::outbound {

struct OutboundRequest {
  std::string method;  // "POST", "PUT", "PATCH", ...
  std::string url;     // http:// or https:// only
  // Sent exactly as given, in order. Besides these curl adds only Host and, with a body,
  // Content-Length. An empty value is sent as "Name:" with nothing after it.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
};

struct OutboundResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response, in order
  std::string body;             // at most the client's max_response_body bytes
  bool body_truncated = false;  // the receiver sent more; the rest was not read
};

// Why no response came back. The outcome of a delivery, not a failure of the program.
enum class TransportError {
  kTimeout,
  kConnectRefused,
  kDns,
  kTls,
  kBlockedTarget,  // the TargetGuard refused the address the host resolved to
  kConnectionReset,
  kOther,
};

// The name stored in an attempt: "timeout", "connect_refused", "dns", "tls", "blocked_target",
// "connection_reset", "network".
std::string_view transport_error_name(TransportError error);

// Exactly one of `response` and `error` is set.
struct OutboundResult {
  std::optional<OutboundResponse> response;
  std::optional<TransportError> error;
  std::string error_message;              // curl's description of the error; empty with a response
  std::chrono::microseconds duration{0};  // from hand-over to curl until the transfer ended
};

}  // namespace hookline::outbound
